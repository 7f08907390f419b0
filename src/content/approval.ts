import { createHash } from 'node:crypto'
import { parseDocument } from 'yaml'
import type { Settings } from '../config.ts'
import { NewsletterError } from '../errors.ts'
import { editFrontMatter, findFrontMatter } from './front-matter.ts'
import type { Doc } from './types.ts'

/** Front-matter keys that record the approval itself, so they are left out of the digest. */
export const approvalKeys = ['status', 'approved_by', 'approved_at', 'approved_digest'] as const

/**
 * A digest of what readers get: the front matter (minus the approval keys) as sorted JSON, and the body. Comments, key
 * order and line ends do not count; any change to a value or the body does.
 */
export function contentDigest(text: string): string {
  const place = findFrontMatter(text)
  const yaml = place ? ((parseDocument(place.yaml).toJS() as Record<string, unknown> | null) ?? {}) : {}
  for (const key of approvalKeys) delete yaml[key]
  const body = text.slice(place ? place.bodyStart : 0).replace(/\r\n/g, '\n')
  return `sha256:${createHash('sha256').update(canonical(yaml)).update('\n').update(body).digest('hex')}`
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

/** The approval to write into a file. */
export interface Approval {
  by: string
  /** When, YYYY-MM-DDTHH:MM in the settings' time zone (see `minuteIn`). */
  at: string
}

/**
 * The file's text with `status: approved` and the approval keys set (new ones right below `status:`, so the approval
 * reads as one block). Only those values change: everything else stays as the author wrote it.
 */
export function approveText(text: string, approval: Approval): string {
  return editFrontMatter(text, [
    { set: 'status', value: 'approved' },
    { set: 'approved_by', value: approval.by, quoted: true, after: 'status' },
    { set: 'approved_at', value: approval.at, after: 'approved_by' },
    { set: 'approved_digest', value: contentDigest(text), after: 'approved_at' },
  ])
}

/** Whether the document must be approved before it goes out: always, except notices where `notices.approval: optional`. */
export function needsApproval(doc: Doc, settings: Settings): boolean {
  return !(doc.meta.kind === 'notice' && settings.notices?.approval === 'optional')
}

/** Refuse (exit 2) unless the document is approved and unchanged since; says which and what to do. */
export function checkApproval(doc: Doc, text: string): void {
  const { meta } = doc
  const file = doc.path
  if (meta.status !== 'approved') {
    const place = doc.where('status') ?? { line: 1, column: 1 }
    throw new NewsletterError(
      `${doc.slug} is not approved (status: ${meta.status}); only approved issues and notices go out`,
      'refused',
      { file, ...place },
      {
        hint: `Have it approved: newsletter approve ${doc.slug} --by "Your Name" (or send a test with --to)`,
      },
    )
  }
  if (!meta.approved_digest) {
    const place = doc.where('status') ?? { line: 1, column: 1 }
    throw new NewsletterError(
      `${doc.slug} says approved but has no approved_digest, so nobody can tell what was approved`,
      'refused',
      { file, ...place },
      {
        hint: `Approve it with the command, which records the digest: newsletter approve ${doc.slug} --by "Your Name"`,
      },
    )
  }
  const digest = contentDigest(text)
  if (digest !== meta.approved_digest) {
    const place = doc.where('approved_digest') ?? { line: 1, column: 1 }
    throw new NewsletterError(
      `${doc.slug} changed after it was approved${meta.approved_by ? ` by ${meta.approved_by}` : ''}${meta.approved_at ? ` at ${meta.approved_at}` : ''}: the content no longer matches approved_digest`,
      'refused',
      { file, ...place },
      { hint: `Have the changes reviewed, then approve again: newsletter approve ${doc.slug} --by "Your Name"` },
    )
  }
}
