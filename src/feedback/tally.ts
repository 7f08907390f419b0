import { createHmac } from 'node:crypto'
import { minGroup, type FeedbackCounts } from '../content/feedback.ts'
import type { Answer, FeedbackToken } from './token.ts'

/**
 * What has been counted for one issue, kept between imports in `.newsletter/feedback/<slug>.json`: one answer per
 * person and section under a keyed hash of the address (the key is never in the project, so this file and the staff
 * list together cannot say who answered what), and the replies with a comment under a keyed hash of their Message-ID.
 */
export interface Tally {
  /** A fingerprint of the key the hashes were made with: another key would count everyone again. */
  key: string
  /** By hash of (address, slug, section): the latest answer. `section` is `''` for the whole issue. */
  answers: Record<string, { section: string; answer: Answer; date: string; department?: string }>
  /** By hash of the message: which section a reply with a written comment was about. */
  comments: Record<string, { section: string }>
}

/** An empty tally for a key. */
export function emptyTally(key: string): Tally {
  return { key: keyFingerprint(key), answers: {}, comments: {} }
}

/** A short fingerprint of the key (a keyed hash of a fixed text): tells keys apart without revealing one. */
export function keyFingerprint(key: string): string {
  return createHmac('sha256', key).update('it-newsletter feedback key').digest('hex').slice(0, 16)
}

/** One counted reply: its token, who (kept only in memory), when, whether it says something, and which message. */
export interface CountedReply {
  token: FeedbackToken
  sender: string
  date?: Date
  /** The Message-ID, or failing that something that names this one message. */
  messageKey: string
  hasComment: boolean
  department?: string
}

/**
 * Add replies to a tally and return the new one (the old one is not changed). One answer per person and section: a
 * later answer (by its Date) replaces an earlier one, and the same message read again changes nothing.
 */
export function addReplies(tally: Tally, key: string, replies: readonly CountedReply[]): Tally {
  const next: Tally = { key: tally.key, answers: { ...tally.answers }, comments: { ...tally.comments } }
  const hash = (text: string) => createHmac('sha256', key).update(text).digest('hex').slice(0, 32)
  for (const reply of replies) {
    const section = reply.token.section ?? ''
    const who = hash(`answer\n${reply.sender}\n${reply.token.slug}\n${section}`)
    const date = (reply.date ?? new Date(0)).toISOString()
    const known = next.answers[who]
    // Equal dates (the same message twice): the answer stays as first counted, so reading again changes nothing.
    if (!known || date > known.date) {
      next.answers[who] = {
        section,
        answer: reply.token.answer,
        date,
        ...((reply.department ?? known?.department) ? { department: reply.department ?? known?.department } : {}),
      }
    } else if (reply.department && !known.department) {
      next.answers[who] = { ...known, department: reply.department }
    }
    if (reply.hasComment) next.comments[hash(`message\n${reply.messageKey}`)] = { section }
  }
  return next
}

/** The counts a tally adds up to, in the order the sections come (others after, A–Z). Departments under {@link minGroup} answers are left out. */
export function countTally(tally: Tally, sectionOrder: readonly string[] = []): FeedbackCounts {
  const answers = Object.values(tally.answers)
  const comments = Object.values(tally.comments)
  const whole = answers.filter((entry) => entry.section === '')
  const sectionIds = [...new Set(answers.map((entry) => entry.section).filter(Boolean))].sort(
    (a, b) => rank(sectionOrder, a) - rank(sectionOrder, b) || a.localeCompare(b),
  )
  return {
    yes: whole.filter((entry) => entry.answer === 'yes').length,
    no: whole.filter((entry) => entry.answer === 'no').length,
    comments: comments.filter((entry) => entry.section === '').length,
    sections: sectionIds.map((id) => {
      const of = answers.filter((entry) => entry.section === id)
      return {
        id,
        yes: of.filter((entry) => entry.answer === 'yes').length,
        no: of.filter((entry) => entry.answer === 'no').length,
        comments: comments.filter((entry) => entry.section === id).length,
      }
    }),
    departments: departmentCounts(whole),
  }
}

function rank(order: readonly string[], id: string): number {
  const at = order.indexOf(id)
  return at === -1 ? order.length : at
}

/**
 * Whole-issue answers per department, each shown only with at least {@link minGroup} answers. When what is hidden
 * adds up to fewer than that (so the total minus the shown groups would give a small group away), the smallest shown
 * group is hidden too, until the hidden answers are none or at least {@link minGroup}.
 */
function departmentCounts(whole: Tally['answers'][string][]): FeedbackCounts['departments'] {
  const groups = new Map<string, { id: string; yes: number; no: number }>()
  let outside = 0
  for (const entry of whole) {
    if (!entry.department) {
      outside++
      continue
    }
    const group = groups.get(entry.department) ?? { id: entry.department, yes: 0, no: 0 }
    group[entry.answer]++
    groups.set(entry.department, group)
  }
  if (groups.size === 0) return []
  const size = (group: { yes: number; no: number }) => group.yes + group.no
  const shown = [...groups.values()].filter((group) => size(group) >= minGroup).sort((a, b) => size(b) - size(a) || a.id.localeCompare(b.id))
  let hidden = outside + [...groups.values()].filter((group) => size(group) < minGroup).reduce((sum, group) => sum + size(group), 0)
  while (hidden > 0 && hidden < minGroup && shown.length > 0) hidden += size(shown.pop()!)
  return shown.sort((a, b) => a.id.localeCompare(b.id))
}
