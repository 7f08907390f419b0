import { noticeStates } from './fields.ts'
import type { NoticeMeta, NoticeState, NoticeUpdate } from './types.ts'

/** A notice's revision: one per update, so the first update is revision 1 (a notice without updates is revision 1 too). */
export function noticeRevision(meta: { updates: readonly unknown[] }): number {
  return Math.max(1, meta.updates.length)
}

/** True when the notice is over: an incident `resolved`, a maintenance `completed`. */
export function isNoticeClosed(meta: Pick<NoticeMeta, 'state'>): boolean {
  return meta.state === noticeStates.incident.at(-1) || meta.state === noticeStates.maintenance.at(-1)
}

/** How each notice state is written for readers, in the subject line and the email alike: `[Cause identified] VPN: …`. */
export const stateLabels: Record<NoticeState, string> = {
  investigating: 'Investigating',
  identified: 'Cause identified',
  monitoring: 'Fixed, monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  'in-progress': 'In progress',
  completed: 'Completed',
}

/** The email subject of a notice as of its latest update: `[Cause identified] VPN: people at home cannot connect`. */
export function noticeSubject(meta: Pick<NoticeMeta, 'state' | 'title'>): string {
  return `[${stateLabels[meta.state]}] ${meta.title}`
}

/** A notice's updates split for reading: the latest one, then the earlier ones newest first. */
export interface OrderedUpdates<U = NoticeUpdate> {
  latest?: U
  earlier: U[]
}

/** Split the updates by time (newest first; of two at the same minute, the one written later is newer), as read or rendered. */
export function orderUpdates<U extends Pick<NoticeUpdate, 'time'>>(updates: readonly U[]): OrderedUpdates<U> {
  const newestFirst = updates
    .map((update, index) => ({ update, index }))
    .sort((a, b) => minute(b.update.time).localeCompare(minute(a.update.time)) || b.index - a.index)
    .map(({ update }) => update)
  return { latest: newestFirst[0], earlier: newestFirst.slice(1) }
}

function minute(time: string): string {
  return time.replace(' ', 'T').slice(0, 16)
}
