import { answersOf } from '../content/feedback.ts'
import { answeredLine, type Comment, type ImportOutcome } from './import.ts'

/** Names to print for an issue and its sections (the titles readers saw), by slug and section id. */
export interface Titles {
  issue(slug: string): string
  section(slug: string, id: string): string
}

/** What an import found, as lines for the terminal: counts only, never an address. */
export function formatOutcome(outcome: ImportOutcome, titles: Titles): string {
  const lines = [`Read ${outcome.messages} message${outcome.messages === 1 ? '' : 's'}: ${outcome.answers} with a feedback code.`]
  for (const issue of outcome.issues) {
    const { counts } = issue
    lines.push(
      `${titles.issue(issue.slug)}: ${answeredLine(counts)}; ${counts.comments} comment${counts.comments === 1 ? '' : 's'} (${issue.path} ${issue.changed ? 'written' : 'unchanged'})`,
    )
    for (const section of counts.sections)
      lines.push(`  ${titles.section(issue.slug, section.id)}: ${answersOf(section)} answered, ${section.yes} found it useful`)
    for (const department of counts.departments)
      lines.push(`  Department ${department.id}: ${answersOf(department)} answered, ${department.yes} found it useful`)
  }
  if (outcome.other > 0) lines.push(`Other replies (no feedback code, left alone): ${outcome.other}`)
  if (outcome.unknown > 0) lines.push(`Feedback codes naming no issue or section of this project (not counted): ${outcome.unknown}`)
  if (outcome.noSender > 0) lines.push(`Replies without a sender address (not counted): ${outcome.noSender}`)
  for (const source of outcome.unreadable) lines.push(`${source}: not a mail message this tool can read (not counted)`)
  return lines.join('\n')
}

/** The `--comments` file: what people wrote, by issue and section, in Markdown; no address, no name from a signature we could find. */
export function formatComments(comments: readonly Comment[], titles: Titles): string {
  const groups = new Map<string, Comment[]>()
  const sorted = [...comments].sort((a, b) => a.slug.localeCompare(b.slug) || (a.date?.getTime() ?? 0) - (b.date?.getTime() ?? 0))
  for (const comment of sorted) {
    const heading = comment.section
      ? `${titles.issue(comment.slug)}: ${titles.section(comment.slug, comment.section)}`
      : `${titles.issue(comment.slug)}: the whole issue`
    groups.set(heading, [...(groups.get(heading) ?? []), comment])
  }
  const lines = [
    '# Comments on the feedback buttons',
    '',
    'Quoted text, signatures and addresses are taken out. Read, act, and say what you did in "You told us".',
  ]
  for (const [heading, group] of groups) {
    lines.push('', `## ${heading}`, '')
    for (const comment of group) {
      const [first = '', ...rest] = comment.text.split('\n')
      const when = comment.date ? `, ${comment.date.toISOString().slice(0, 10)}` : ''
      lines.push(`- **${comment.answer}**${when}: ${first}`, ...rest.map((line) => (line.trim() === '' ? '' : `  ${line}`)))
    }
  }
  return `${lines.join('\n')}\n`
}
