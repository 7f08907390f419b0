import type { Position } from '../errors.ts'
import { digestOf, firstChange, splitContent } from './approval.ts'
import type { Doc, Notice, NoticeMeta } from './types.ts'

/** Why a document marked approved is not published as it is now: what to say, where, and what to do. */
export interface Withheld {
  reason: string
  place: Position
  hint: string
}

/**
 * What readers may see of a document marked `status: approved`: the document itself when unchanged since approval,
 * a notice as of its last approved revision when only updates came after, or nothing (with why).
 */
export type ApprovedView = { doc: Doc; withheld?: undefined; note?: Withheld } | { doc?: undefined; withheld: Withheld }

/** The document as it was approved, rebuilt from its text when it can be proven (by the digest) to be exactly that. */
export function approvedView(doc: Doc, text: string): ApprovedView {
  const { meta, slug } = doc
  const at = (path: string): Position => doc.where(path) ?? doc.where('status') ?? { line: 1, column: 1 }
  const again = `Have it reviewed, then approve it again: newsletter approve ${slug} --by "Your Name"`
  if (!meta.approved_digest) {
    return { withheld: { reason: `${slug} says approved but has no approved_digest, so nobody can tell what was approved: left out`, place: at('status'), hint: again } }
  }
  if (doc.digest === meta.approved_digest) return { doc }
  const { fields, body } = splitContent(text)
  const revision = meta.kind === 'notice' ? approvedRevision(doc as Notice, fields, body) : undefined
  if (revision) {
    const [approved, now] = [revision.updates.length, (meta as NoticeMeta).updates.length]
    const note = `${slug} is published as approved, with ${approved} of its ${now} updates: ${describeLater(approved, now)}, not approved yet`
    return { doc: { ...doc, meta: revision }, note: { reason: note, place: at(`updates.${approved}`), hint: again } }
  }
  return { withheld: { reason: `${slug} ${changedSince(doc, text)}: left out until it is approved again`, place: at('approved_digest'), hint: again } }
}

/** `changed since approval by Dana at 2026-11-02T09:15: \`title\` changed`, naming the first change when it is known. */
export function changedSince(doc: Doc, text: string): string {
  const { meta } = doc
  const who = `${meta.approved_by ? ` by ${meta.approved_by}` : ''}${meta.approved_at ? ` at ${meta.approved_at}` : ''}`
  if (meta.kind === 'notice') {
    const { fields, body } = splitContent(text)
    const revision = approvedRevision(doc as Notice, fields, body)
    if (revision) return `changed since approval${who}: ${describeLater(revision.updates.length, meta.updates.length)}`
  }
  const change = firstChange(text, meta.approved_parts)
  return `changed since approval${who}: ${change ? `${change} changed` : 'the content no longer matches approved_digest'}`
}

function describeLater(approved: number, now: number): string {
  return now - approved === 1 ? `update ${now} was added after it` : `updates ${approved + 1}–${now} were added after it`
}

/**
 * A notice's front matter as of an earlier revision whose content hashes to `approved_digest`: the first k updates,
 * `state` as of the k-th update (or as now), and `next_update` as recorded at approval (or as now, or none).
 * `newsletter update` changes only those three, so any approval followed only by updates is found.
 */
function approvedRevision(notice: Notice, fields: Record<string, unknown>, body: string): NoticeMeta | undefined {
  const { meta } = notice
  const written = Array.isArray(fields.updates) ? (fields.updates as unknown[]) : []
  for (let kept = written.length - 1; kept >= 0; kept--) {
    const states = unique([meta.updates[kept - 1]?.state, meta.state])
    const nextUpdates = unique([meta.approved_next_update, meta.next_update, undefined])
    const updateLists = kept === 0 ? [[], undefined] : [written.slice(0, kept)]
    for (const state of states)
      for (const nextUpdate of nextUpdates)
        for (const updates of updateLists) {
          const candidate: Record<string, unknown> = { ...fields, state, next_update: nextUpdate, updates }
          if (nextUpdate === undefined) delete candidate.next_update
          if (updates === undefined) delete candidate.updates
          if (state !== undefined && digestOf(candidate, body) === meta.approved_digest) {
            return { ...meta, state, next_update: nextUpdate, updates: meta.updates.slice(0, kept) }
          }
        }
  }
  return undefined
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)]
}
