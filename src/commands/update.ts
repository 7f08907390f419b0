import { resolve } from 'node:path'
import { collectMessages, formatText } from '../check/messages.ts'
import { needsApproval } from '../content/approval.ts'
import { minuteIn } from '../content/clock.ts'
import { dateTimeProblem } from '../content/fields.ts'
import { parseDoc } from '../content/load.ts'
import { isNoticeClosed } from '../content/revisions.ts'
import type { Notice, NoticeState } from '../content/types.ts'
import { appendNoticeUpdate, checkNoticeUpdate } from '../content/update-notice.ts'
import { hasErrors, NewsletterError } from '../errors.ts'
import { stateLabels } from '../content/revisions.ts'
import { openDocument } from '../project/open-document.ts'
import { writeBack } from '../project/write.ts'
import type { Command } from './command.ts'

/** `newsletter update <notice-slug> --state STATE --text "…"`: append an update to a notice without hand-editing YAML. */
export const updateCommand: Command = {
  name: 'update',
  usage: 'update <notice-slug> --state STATE --text "…" [--next-update YYYY-MM-DDTHH:MM] [--reopen]',
  allowPositionals: true,
  options: { state: { type: 'string' }, text: { type: 'string' }, 'next-update': { type: 'string' }, reopen: { type: 'boolean' } },
  help: {
    '--state STATE':
      "the notice's state now: investigating | identified | monitoring | resolved (an incident), scheduled | in-progress | completed (a maintenance)",
    '--text "…"': 'what readers need to know now, one or two sentences',
    '--next-update T': "when the next update is due, YYYY-MM-DDTHH:MM in the settings' time zone (not with resolved or completed)",
    '--reopen': 'open a resolved or completed notice again (the problem is back)',
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
    const badTime = nextUpdate === undefined ? undefined : dateTimeProblem(nextUpdate)
    if (badTime) throw new NewsletterError(`--next-update ${badTime.reason}`, 'usage', undefined, { hint: badTime.hint })

    const opened = await openDocument(root, slug, { kind: 'notice', refusal: 'Not updated' })
    if (opened.warnings.length > 0) io.err(formatText(opened.warnings))
    const { config } = opened
    const notice = opened.doc as Notice
    const timeZone = config.settings.timezone
    const time = minuteIn(new Date(), timeZone)
    checkNoticeUpdate(notice, { state, time, timeZone, nextUpdate, reopen: values.reopen === true })
    const closes = isNoticeClosed({ state: state as NoticeState })
    const path = resolve(root, notice.path)
    const updated = appendNoticeUpdate(opened.text, { time, state: state as NoticeState, text, nextUpdate, closes })
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
