import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import type { Command } from './command.ts'
import { loadConfig } from '../config.ts'
import { dateProblem } from '../content/fields.ts'
import { loadContent } from '../content/load.ts'
import { minuteIn } from '../content/clock.ts'
import { defaultIssueDate, issueTemplate, noticeTemplate, previousMonth, type IssueDraft } from '../content/new-doc.ts'
import { countNumbers, loadTicketExport } from '../content/numbers.ts'
import { tallyTickets } from '../content/tickets.ts'
import type { IssueMeta } from '../content/types.ts'
import { NewsletterError } from '../errors.ts'
import { collectMessages, formatText } from '../check/messages.ts'

/** `newsletter new`: start the next issue (or a service notice) as a draft with every section stubbed. */
export const newCommand: Command = {
  name: 'new',
  usage: 'new [--notice] [--date YYYY-MM-DD] [--from-tickets FILE]',
  options: { notice: { type: 'boolean', default: false }, date: { type: 'string' }, 'from-tickets': { type: 'string' } },
  help: {
    '--notice': 'create a service notice instead of an issue',
    '--date YYYY-MM-DD': 'date of the issue or notice (default: today; for an issue, the month after the latest if this month has one)',
    '--from-tickets FILE':
      'a helpdesk ticket export (CSV: ServiceNow, Jira Service Management, Zendesk, Freshservice, GLPI or any other): fill in numbers: for the month before the issue, and top_question with its most asked category',
    '--help': 'show this help',
  },
  async run(values, _positionals, io, root) {
    const date = values.date === undefined ? undefined : String(values.date)
    if (date !== undefined && dateProblem(date)) throw new NewsletterError(`--date must be YYYY-MM-DD, got \`${date}\``, 'usage')
    const ticketsPath = values['from-tickets'] === undefined ? undefined : String(values['from-tickets'])
    if (values.notice && ticketsPath) throw new NewsletterError("--from-tickets fills in an issue's top question; it cannot be used with --notice", 'usage')
    const { file, config } = await loadConfig({ root })
    if (!config) {
      io.err(formatText(collectMessages([file])))
      return 1
    }
    const now = minuteIn(new Date(), config.settings.timezone)
    const today = now.slice(0, 10)
    let path: string
    let text: string
    let summary: string
    if (values.notice) {
      const day = date ?? today
      path = join(config.contentDir, 'notices', `${day}-notice.md`)
      text = noticeTemplate({ date: day, time: `${day}T${now.slice(11)}` })
      summary = 'Rename it after the service before you publish it.'
    } else {
      const issues = (await loadContent(config.contentDir, root)).flatMap(({ doc }) => (doc?.meta.kind === 'issue' ? [doc.meta as IssueMeta] : []))
      const latest = issues.reduce<IssueMeta | undefined>((best, meta) => (!best || meta.issue > best.issue ? meta : best), undefined)
      const day = date ?? defaultIssueDate(latest?.date, today)
      const month = new Intl.DateTimeFormat(config.settings.language, { timeZone: 'UTC', month: 'long', year: 'numeric' })
      const monthOf = (yyyyMm: string) => month.format(new Date(`${yyyyMm}-01T00:00:00Z`))
      const draft: IssueDraft = {
        number: (latest?.issue ?? 0) + 1,
        date: day,
        monthLabel: monthOf(day.slice(0, 7)),
        projects: (latest?.projects ?? []).filter((project) => project.status !== 'done'),
        previousIssue: latest?.issue,
      }
      if (ticketsPath) {
        const exported = await loadTicketExport(root, ticketsPath, config.settings)
        const reported = previousMonth(day)
        draft.tickets = { ...tallyTickets(exported, reported), source: exported.shown, monthLabel: monthOf(reported) }
        draft.numbers = countNumbers(exported, reported, config.settings.numbers)
      }
      path = join(config.contentDir, 'issues', `${day.slice(0, 7)}.md`)
      text = issueTemplate(draft)
      const top = draft.tickets?.counts[0]
      summary = [
        draft.projects.length > 0
          ? `Carried over ${draft.projects.length} project${draft.projects.length === 1 ? '' : 's'} from issue ${draft.previousIssue}.`
          : '',
        top ? `Top question: ${top.category} (${top.count} of ${draft.tickets!.total} tickets in ${draft.tickets!.monthLabel}).` : '',
      ]
        .filter(Boolean)
        .join(' ')
    }
    const shownPath = relative(root, path) || path
    await mkdir(dirname(path), { recursive: true })
    try {
      // `wx`: fail if the file exists, checked and created in one step.
      await writeFile(path, text, { flag: 'wx' })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new NewsletterError(`${shownPath} already exists; not overwriting it`, 'io', undefined, {
          hint: values.notice ? 'Rename the existing notice after its service, or pass --date' : 'Edit that file, or pass --date for another month',
        })
      }
      throw new NewsletterError(`Could not write ${shownPath}: ${(error as Error).message}`, 'io', undefined, { cause: error })
    }
    io.out(shownPath)
    if (summary) io.err(summary)
    return 0
  },
}
