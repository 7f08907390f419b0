import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import type { Command } from './command.ts'
import { loadConfig } from '../config.ts'
import { dateProblem } from '../content/fields.ts'
import { loadContent } from '../content/load.ts'
import { minuteIn, monthLabel } from '../content/clock.ts'
import { answersOf, loadFeedback } from '../content/feedback.ts'
import { defaultIssueDate, issueTemplate, noticeTemplate, previousMonth, type IssueDraft, type PreviousFeedback } from '../content/new-doc.ts'
import { countNumbers, loadTicketExport } from '../content/numbers.ts'
import { tallyTickets } from '../content/tickets.ts'
import type { Doc, IssueMeta } from '../content/types.ts'
import { splitSections } from '../markdown/parts.ts'
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
      const issues = (await loadContent(config.contentDir, root)).flatMap(({ doc }) =>
        doc?.meta.kind === 'issue' ? [{ doc, meta: doc.meta as IssueMeta }] : [],
      )
      const latestIssue = issues.reduce<(typeof issues)[number] | undefined>(
        (best, entry) => (!best || entry.meta.issue > best.meta.issue ? entry : best),
        undefined,
      )
      const latest = latestIssue?.meta
      const day = date ?? defaultIssueDate(latest?.date, today)
      const draft: IssueDraft = {
        number: (latest?.issue ?? 0) + 1,
        date: day,
        monthLabel: monthLabel(day, config.settings.language),
        projects: (latest?.projects ?? []).filter((project) => project.status !== 'done'),
        previousIssue: latest?.issue,
        feedback: latestIssue && (await previousFeedback(latestIssue.doc, config.contentDir, root)),
      }
      if (ticketsPath) {
        const exported = await loadTicketExport(root, ticketsPath, config.settings)
        const reported = previousMonth(day)
        draft.tickets = { ...tallyTickets(exported, reported), source: exported.shown, monthLabel: monthLabel(reported, config.settings.language) }
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
        draft.feedback ? `"You told us" stubbed with issue ${draft.feedback.number}'s answers.` : '',
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

/** The answers to the previous issue's feedback buttons, with its section titles; nothing when nobody answered. */
async function previousFeedback(doc: Doc, contentDir: string, root: string): Promise<PreviousFeedback | undefined> {
  const counts = (await loadFeedback(contentDir, root)).bySlug.get(doc.slug)
  if (!counts || answersOf(counts) === 0 || doc.meta.kind !== 'issue') return undefined
  const titles = new Map(splitSections(doc.body.children).map((section) => [section.id, section.title ?? section.id]))
  return {
    number: doc.meta.issue,
    yes: counts.yes,
    no: counts.no,
    comments: counts.comments + counts.sections.reduce((sum, section) => sum + section.comments, 0),
    sections: counts.sections.flatMap((section) => (titles.has(section.id) ? [{ title: titles.get(section.id)!, yes: section.yes, no: section.no }] : [])),
  }
}
