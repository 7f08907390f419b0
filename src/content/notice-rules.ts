import { noticeStates, type noticeFields } from './fields.ts'
import { isNoticeClosed } from './revisions.ts'
import type { InferFields, Problem } from './schema.ts'
import type { NoticeKind } from './types.ts'

/** A problem with how a notice's fields fit together, at the dotted path of the value it is about. */
export interface NoticeProblem extends Problem {
  path: string
  rule: string
}

/**
 * The rules the schema cannot say field by field: each state (the notice's and every update's) belongs to the
 * notice's kind, a maintenance has a window, an incident has none, a window ends after it starts, and only an open
 * incident says when it is expected back.
 */
export function findNoticeProblems(data: InferFields<typeof noticeFields>): NoticeProblem[] {
  const kind = data.kind
  const allowed: readonly string[] = noticeStates[kind]
  const other: NoticeKind = kind === 'incident' ? 'maintenance' : 'incident'
  const problems: NoticeProblem[] = []
  const checkState = (state: string | undefined, path: string, name: string) => {
    if (state === undefined || allowed.includes(state)) return
    problems.push({
      path,
      rule: 'front-matter/state',
      reason: `${name} \`${state}\` is a state of ${other === 'maintenance' ? 'a maintenance' : 'an incident'}; ${kind === 'incident' ? 'an incident' : 'a maintenance'} is ${allowed.join(' | ')}`,
      hint: kind === 'incident' ? 'For planned work, add `kind: maintenance` and a `window:`' : `Use one of ${allowed.join(', ')}`,
    })
  }
  checkState(data.state, 'state', '`state`')
  data.updates.forEach((update, index) => checkState(update.state, `updates.${index}.state`, `\`updates[${index + 1}].state\``))
  const window = data.window
  if (kind === 'maintenance' && !window) {
    problems.push({ path: 'kind', rule: 'front-matter/window', reason: 'A maintenance needs a `window:` saying when the work starts and ends', hint: 'Add window: { start: 2026-11-28T22:00, end: 2026-11-29T02:00 }' })
  }
  if (kind === 'incident' && window) {
    problems.push({ path: 'window', rule: 'front-matter/window', reason: '`window` is only for planned work (`kind: maintenance`)', hint: 'Add `kind: maintenance`, or remove the window' })
  }
  if (window?.start && window.end && minute(window.end) <= minute(window.start)) {
    problems.push({ path: 'window.end', rule: 'front-matter/window', reason: `\`window.end\` (${window.end}) must be after \`window.start\` (${window.start})`, hint: 'Check the date of the end: work past midnight ends the next day' })
  }
  if (data.expected_back && (kind === 'maintenance' || isNoticeClosed(data))) {
    problems.push({
      path: 'expected_back',
      rule: 'front-matter/expected-back',
      reason:
        kind === 'maintenance'
          ? '`expected_back` is for incidents; a maintenance ends at `window.end`'
          : `\`expected_back\` says when a broken service works again; this notice is \`${data.state}\``,
      hint: kind === 'maintenance' ? 'Remove `expected_back`, or move the end of the window' : 'Remove `expected_back`: the service is back',
    })
  }
  return problems
}

function minute(value: string): string {
  return value.replace(' ', 'T').slice(0, 16)
}
