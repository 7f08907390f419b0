import { createHash } from 'node:crypto'
import { parseDocument } from 'yaml'
import type { Settings } from '../config.ts'
import { NewsletterError } from '../errors.ts'
import { editFrontMatter, findFrontMatter } from './front-matter.ts'
import type { Doc } from './types.ts'

/** Front-matter keys that record the approval itself, so they are left out of the digest. */
export const approvalKeys = ['status', 'approved_by', 'approved_at', 'approved_digest', 'approved_parts', 'approved_next_update', 'approved_signature'] as const

/**
 * A digest of what readers get: the front matter (minus the approval keys) as sorted JSON, and the body. Comments, key
 * order and line ends do not count; any change to a value or the body does.
 */
export function contentDigest(text: string): string {
  const { fields, body } = splitContent(text)
  return digestOf(fields, body)
}

/** A document's text as the digest sees it: the front-matter values (without the approval keys) and the body. */
export interface Content {
  fields: Record<string, unknown>
  body: string
}

/** Split a document's text into what the digest covers. */
export function splitContent(text: string): Content {
  const place = findFrontMatter(text)
  return contentOf(place ? parseDocument(place.yaml).toJS() : null, text.slice(place ? place.bodyStart : 0))
}

/** What the digest covers, from the front matter's values as YAML's `toJS()` gave them (a fresh object) and the body's text. */
export function contentOf(values: unknown, body: string): Content {
  const fields = (values as Record<string, unknown> | null) ?? {}
  for (const key of approvalKeys) delete fields[key]
  return { fields, body: body.replace(/\r\n/g, '\n') }
}

/** The digest of split content: equal to {@link contentDigest} of the text it came from. */
export function digestOf(fields: Record<string, unknown>, body: string): string {
  return `sha256:${createHash('sha256').update(canonical(fields)).update('\n').update(body).digest('hex')}`
}

/**
 * A short fingerprint of each part of the content (`body:3f2a9c1b date:…`), written beside the digest so a later
 * change can be named (`title`, the body) without keeping the approved text. It vouches for nothing: the digest does.
 */
export function partsOf(text: string): string {
  const { fields, body } = splitContent(text)
  const parts = Object.keys(fields).map((key) => `${key}:${shortHash(canonical(fields[key]))}`)
  return [...parts, `body:${shortHash(body)}`].sort().join(' ')
}

/** The first part of the content (in file order, the body last) that differs from the recorded `approved_parts`. */
export function firstChange(text: string, recorded: string | undefined): string | undefined {
  if (!recorded) return undefined
  const before = new Map(recorded.split(' ').map((part) => [part.slice(0, part.lastIndexOf(':')), part.slice(part.lastIndexOf(':') + 1)]))
  const { fields, body } = splitContent(text)
  const now = new Map([...Object.keys(fields).map((key): [string, string] => [key, shortHash(canonical(fields[key]))]), ['body', shortHash(body)]])
  const changed = [...now].find(([key, hash]) => before.get(key) !== hash)?.[0] ?? [...before.keys()].find((key) => !now.has(key))
  return changed === undefined ? undefined : changed === 'body' ? 'the body' : `\`${changed}\``
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8)
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
  /** The armored SSH signature of {@link approvalMessage} (`approve --sign`). */
  signature?: string
}

/** What `approve --sign` signs: the digest and who approves it, so neither can be swapped under the signature. */
export function approvalMessage(digest: string, by: string): string {
  return `it-newsletter approval\ndigest: ${digest}\nby: ${by}\n`
}

/**
 * The file's text with `status: approved` and the approval keys set (new ones right below `status:`, so the approval
 * reads as one block). Only those values change: everything else stays as the author wrote it.
 */
export function approveText(text: string, approval: Approval): string {
  const { fields } = splitContent(text)
  // `newsletter update` replaces or drops next_update: kept here, the approved revision can still be rebuilt after one.
  const nextUpdate = typeof fields.next_update === 'string' ? fields.next_update : undefined
  return editFrontMatter(text, [
    { set: 'status', value: 'approved' },
    { set: 'approved_by', value: approval.by, quoted: true, after: 'status' },
    { set: 'approved_at', value: approval.at, after: 'approved_by' },
    { set: 'approved_digest', value: contentDigest(text), after: 'approved_at' },
    { set: 'approved_parts', value: partsOf(text), quoted: true, after: 'approved_digest' },
    nextUpdate ? { set: 'approved_next_update', value: nextUpdate, after: 'approved_parts' } : { delete: 'approved_next_update' },
    approval.signature ? { set: 'approved_signature', value: approval.signature, quoted: true, after: 'approved_parts' } : { delete: 'approved_signature' },
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
