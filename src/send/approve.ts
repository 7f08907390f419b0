import { createHash } from 'node:crypto'
import { isMap, isScalar, parseDocument, type Node, type Pair } from 'yaml'
import type { Settings } from '../config.ts'
import type { Doc } from '../content/types.ts'
import { NewsletterError } from '../errors.ts'

/** Front-matter keys that record the approval itself, so they are left out of the digest. */
export const approvalKeys = ['status', 'approved_by', 'approved_at', 'approved_digest'] as const

const frontMatter = /^---[^\S\r\n]*\r?\n([\s\S]*?)\r?\n---[^\S\r\n]*(?:\r?\n|$)/

/**
 * A digest of what readers get: the front matter (minus the approval keys) as sorted JSON, and the
 * body. Comments and key order do not count; any change to a value or the body does.
 */
export function contentDigest(text: string): string {
  const match = frontMatter.exec(text)
  const yaml = match ? ((parseDocument(match[1]!).toJS() as Record<string, unknown> | null) ?? {}) : {}
  for (const key of approvalKeys) delete yaml[key]
  const body = text.slice(match ? match[0].length : 0).replace(/\r\n/g, '\n')
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

/** A local time written YYYY-MM-DDTHH:MM, as `approved_at` wants it. */
export function localMinute(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/** The approval to write into a file. */
export interface Approval {
  by: string
  at: string
}

/**
 * The file's text with `status: approved` and the approval keys set. Only those values change:
 * comments, quoting and the order of every other line stay as the author wrote them.
 */
export function approveText(text: string, approval: Approval): string {
  const match = frontMatter.exec(text)
  if (!match) throw new NewsletterError('The file has no front matter to record the approval in', 'content')
  const yamlText = match[1]!
  const yamlStart = match[0].indexOf(yamlText)
  const doc = parseDocument(yamlText)
  if (!isMap(doc.contents)) throw new NewsletterError('The front matter is not a set of `key: value` lines', 'content')
  const values: Record<(typeof approvalKeys)[number], string> = {
    status: 'approved',
    approved_by: JSON.stringify(approval.by),
    approved_at: approval.at,
    approved_digest: contentDigest(text),
  }
  const edits: { start: number; end: number; text: string }[] = []
  const missing: string[] = []
  const pairs = doc.contents.items as Pair<Node, Node | null>[]
  const find = (key: string) => pairs.find((pair) => isScalar(pair.key) && pair.key.value === key)
  for (const key of approvalKeys) {
    const pair = find(key)
    const range = pair?.value?.range
    if (range) edits.push({ start: range[0], end: range[1], text: values[key] })
    else if (pair?.key?.range) edits.push({ start: pair.key.range[1], end: lineEnd(yamlText, pair.key.range[1]), text: `: ${values[key]}` })
    else missing.push(`${key}: ${values[key]}`)
  }
  if (missing.length > 0) {
    // New keys go right below `status:` when there is one, so the approval reads as one block.
    const anchor = find('status')?.value?.range?.[1]
    const at = anchor === undefined ? yamlText.length : lineEnd(yamlText, anchor)
    edits.push({ start: at, end: at, text: `\n${missing.join('\n')}` })
  }
  let yaml = yamlText
  for (const edit of edits.sort((a, b) => b.start - a.start)) yaml = yaml.slice(0, edit.start) + edit.text + yaml.slice(edit.end)
  return text.slice(0, yamlStart) + yaml + text.slice(yamlStart + yamlText.length)
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from)
  return end < 0 ? text.length : end
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
