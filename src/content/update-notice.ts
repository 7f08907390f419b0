import { isSeq, parseDocument, type Node } from 'yaml'
import { NewsletterError } from '../errors.ts'
import { minuteOf } from './clock.ts'
import { noticeStates } from './fields.ts'
import { editFrontMatter, findFrontMatter, type FrontMatterChange } from './front-matter.ts'
import { createLocator } from './position.ts'
import { isNoticeClosed, orderUpdates } from './revisions.ts'
import type { Notice, NoticeState } from './types.ts'

/** One update to append to a notice. */
export interface NoticeUpdateInput {
  /** When it was written, YYYY-MM-DDTHH:MM. */
  time: string
  state: NoticeState
  text: string
  /** When the next update is due; with none, an existing `next_update` stays unless `closes` is set. */
  nextUpdate?: string
  /** The new state ends the notice (resolved, completed): a `next_update` no longer means anything and is dropped. */
  closes?: boolean
}

/** A notice's text with one update appended, and the 1-based line of the file where the new update starts. */
export interface UpdatedNotice {
  text: string
  line: number
}

/**
 * Append an update to a notice's front matter and set `state` (and `next_update`): comments, quoting, key order and
 * blank lines stay as the author wrote them, and the body is untouched.
 */
export function appendNoticeUpdate(text: string, update: NoticeUpdateInput): UpdatedNotice {
  const nextUpdate: FrontMatterChange[] = update.nextUpdate
    ? [{ set: 'next_update', value: update.nextUpdate, after: 'state' }]
    : update.closes
      ? [{ delete: 'next_update' }]
      : []
  const next = editFrontMatter(text, [
    { set: 'state', value: update.state },
    ...nextUpdate,
    { append: 'updates', item: { time: update.time, state: update.state, text: update.text }, quoted: ['text'] },
  ])
  return { text: next, line: newUpdateLine(next) }
}

function newUpdateLine(text: string): number {
  const place = findFrontMatter(text)!
  const updates = parseDocument(place.yaml).get('updates', true)
  const last = isSeq(updates) ? (updates.items.at(-1) as Node | undefined) : undefined
  return createLocator(text)(place.start + (last?.range?.[0] ?? 0)).line
}

/** An update as `newsletter update` was asked to write it, before it is checked against the notice. */
export interface NoticeUpdateRequest {
  state: string
  /** Now, in the settings' time zone. */
  time: string
  timeZone: string
  nextUpdate?: string
  /** Whether a closed (resolved, completed) notice may be opened again. */
  reopen?: boolean
}

/**
 * Refuse an update that would not make sense to readers: a state of the other kind of notice, a next update for a
 * notice that is over or before the update itself, reopening a closed notice unasked, or an update dated before the
 * latest one (the feed's `#update-N` addresses would change). Each says what to do.
 */
export function checkNoticeUpdate(notice: Notice, request: NoticeUpdateRequest): void {
  const { meta } = notice
  const { state, time, timeZone, nextUpdate } = request
  const kind = meta.noticeKind
  const allowed: readonly string[] = noticeStates[kind]
  const at = (path: string) => ({ file: notice.path, ...(notice.where(path) ?? { line: 1, column: 1 }) })
  if (!allowed.includes(state)) {
    throw new NewsletterError(`--state \`${state}\` is not a state of ${kind === 'incident' ? 'an incident' : 'a maintenance'}; it is one of ${allowed.join(' | ')}`, 'usage', notice.where('kind') ? at('kind') : at('state'), {
      hint: kind === 'incident' && (noticeStates.maintenance as readonly string[]).includes(state) ? 'Planned work is a separate notice with `kind: maintenance`' : `Use one of ${allowed.join(', ')}`,
    })
  }
  const closes = isNoticeClosed({ state: state as NoticeState })
  if (nextUpdate && closes) {
    throw new NewsletterError(`--next-update does not go with --state ${state}: the email would promise an update that never comes`, 'usage', undefined, {
      hint: `Leave out --next-update, or use --state ${allowed.at(-2)} if more updates will follow`,
    })
  }
  if (isNoticeClosed(meta) && !closes && !request.reopen) {
    throw new NewsletterError(`${notice.slug} is ${meta.state}: --state ${state} would open it again`, 'usage', at('state'), {
      hint: `If it is back, say so with --reopen; if it is a new problem, start a new notice: newsletter new --notice`,
    })
  }
  if (nextUpdate && minuteOf(nextUpdate) <= time) {
    throw new NewsletterError(`--next-update ${nextUpdate} is not after this update, written at ${time} (${timeZone})`, 'usage', undefined, {
      hint: `Give a later time, in the settings' time zone (${timeZone})`,
    })
  }
  const { latest } = orderUpdates(meta.updates)
  if (latest && minuteOf(latest.time) > time) {
    throw new NewsletterError(
      `The latest update is dated ${latest.time}, after now (${time} in ${timeZone}): this update would come before it and renumber the updates readers link to`,
      'usage',
      at(`updates.${meta.updates.indexOf(latest)}.time`),
      { hint: `Correct that update's time, or \`timezone:\` in the settings if ${timeZone} is not where you are` },
    )
  }
}
