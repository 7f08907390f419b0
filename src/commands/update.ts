import { resolve } from 'node:path'
import { collectMessages, formatText } from '../check/report.ts'
import { isDateTime, noticeStates } from '../content/fields.ts'
import { parseDoc } from '../content/load.ts'
import type { NoticeState } from '../content/types.ts'
import { appendNoticeUpdate, minuteIn } from '../content/update-notice.ts'
import { hasErrors, NewsletterError } from '../errors.ts'
import { stateLabels } from '../content/revisions.ts'
import { loadNotice } from '../project/notice.ts'
import { writeBack } from '../project/write.ts'
import { needsApproval } from '../send/approve.ts'
import type { Command } from './command.ts'

/** `newsletter update <notice-slug> --state STATE --text "…"`: append an update to a notice without hand-editing YAML. */
export const updateCommand: Command = {
  name: 'update',
  usage: 'update <notice-slug> --state STATE --text "…" [--next-update YYYY-MM-DDTHH:MM]',
  allowPositionals: true,
  options: { state: { type: 'string' }, text: { type: 'string' }, 'next-update': { type: 'string' } },
  help: {
    '--state STATE':
      "the notice's state now: investigating | identified | monitoring | resolved (an incident), scheduled | in-progress | completed (a maintenance)",
    '--text "…"': 'what readers need to know now, one or two sentences',
    '--next-update T': "when the next update is due, YYYY-MM-DDTHH:MM in the settings' time zone",
    '--help': 'show this help',
  },
  async run(values, positionals, io, root) {
    const slug = positionals[0]
    if (!slug || positionals.length > 1)
      throw new NewsletterError('Give exactly one notice: newsletter update 2026-10-14-vpn-outage --state identified --text "…"', 'usage')
    const state = typeof values.state === 'string' ? values.state : ''
    if (state === '') throw new NewsletterError('Say what state the notice is in now: --state identified', 'usage')
    const text = typeof values.text === 'string' ? values.text.trim() : ''
    if (text === '' || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(text))
      throw new NewsletterError('Say what readers need to know now: --text "The cause is …" (text, no control characters)', 'usage')
    const nextUpdate = typeof values['next-update'] === 'string' ? values['next-update'] : undefined
    const badTime = nextUpdate === undefined ? undefined : isDateTime(nextUpdate)
    if (badTime) throw new NewsletterError(`--next-update ${badTime.reason}`, 'usage', undefined, { hint: badTime.hint })

    const found = await loadNotice(root, slug)
    if ('errors' in found) {
      io.err(`${formatText(found.errors)}\nNot updated: fix the errors above first.`)
      return 1
    }
    const { config, notice } = found
    const kind = notice.meta.noticeKind
    const allowed: readonly string[] = noticeStates[kind]
    if (!allowed.includes(state)) {
      const place = notice.where('kind') ?? notice.where('state') ?? { line: 1, column: 1 }
      throw new NewsletterError(
        `--state \`${state}\` is not a state of ${kind === 'incident' ? 'an incident' : 'a maintenance'}; it is one of ${allowed.join(' | ')}`,
        'usage',
        { file: notice.path, ...place },
        {
          hint:
            kind === 'incident' && (noticeStates.maintenance as readonly string[]).includes(state)
              ? 'Planned work is a separate notice with `kind: maintenance`'
              : `Use one of ${allowed.join(', ')}`,
        },
      )
    }
    const time = minuteIn(new Date(), config.settings.timezone)
    const closes = state === allowed.at(-1)
    const path = resolve(root, notice.path)
    const updated = appendNoticeUpdate(found.text, { time, state: state as NoticeState, text, nextUpdate, closes })
    const { file } = parseDoc(notice.path, updated.text, 'notice')
    if (hasErrors([file])) {
      io.err(`${formatText(collectMessages([file]).filter((m) => m.severity === 'error'))}\nNot updated: the notice would not be valid.`)
      return 1
    }
    await writeBack(path, updated.text)
    const revision = notice.meta.updates.length + 1
    const next = needsApproval(notice, config.settings)
      ? `approve it, then send: newsletter approve ${slug} --by "Your Name"`
      : `send it: newsletter send ${slug} …`
    io.out(
      `${notice.path}:${updated.line}: update ${revision} (${stateLabels[state as NoticeState]}) at ${time}${nextUpdate ? `, next update ${nextUpdate}` : closes ? ', no further updates' : ''}. To mail it, ${next}`,
    )
    return 0
  },
}
