import { resolve } from 'node:path'
import { collectMessages, formatText } from '../check/messages.ts'
import { editFrontMatter } from '../content/front-matter.ts'
import { parseDoc } from '../content/load.ts'
import { previousMonth } from '../content/new-doc.ts'
import { countNumbers, loadTicketExport, numbersYaml } from '../content/numbers.ts'
import type { Issue } from '../content/types.ts'
import { hasErrors, NewsletterError } from '../errors.ts'
import { openDocument } from '../project/open-document.ts'
import { writeBack } from '../project/write.ts'
import type { Command } from './command.ts'

/** `newsletter numbers <slug> --from-tickets FILE`: count the month before an issue from a ticket export into its `numbers:` block. */
export const numbersCommand: Command = {
  name: 'numbers',
  usage: 'numbers <issue-slug> --from-tickets FILE',
  allowPositionals: true,
  options: { 'from-tickets': { type: 'string' } },
  help: {
    '--from-tickets FILE': 'the helpdesk ticket export (CSV) to count: ServiceNow, Jira Service Management, Zendesk, Freshservice, GLPI or any other',
    '--help': 'show this help',
  },
  async run(values, positionals, io, root) {
    const slug = positionals[0]
    if (!slug || positionals.length > 1) throw new NewsletterError('Give exactly one issue: newsletter numbers 2026-11 --from-tickets tickets.csv', 'usage')
    const file = typeof values['from-tickets'] === 'string' ? values['from-tickets'] : ''
    if (file === '') throw new NewsletterError('Say which ticket export to count: --from-tickets tickets.csv', 'usage')
    const opened = await openDocument(root, slug, { kind: 'issue', refusal: 'Not counted' })
    if (opened.warnings.length > 0) io.err(formatText(opened.warnings))
    const issue = opened.doc as Issue
    const exported = await loadTicketExport(root, file, opened.config.settings)
    const numbers = countNumbers(exported, previousMonth(issue.meta.date), opened.config.settings.numbers)
    const text = editFrontMatter(opened.text, [{ block: 'numbers', lines: numbersYaml(numbers), after: 'top_question' }])
    const { file: checked } = parseDoc(issue.path, text, 'issue')
    if (hasErrors([checked])) {
      io.err(`${formatText(collectMessages([checked]).filter((m) => m.severity === 'error'))}\nNot counted: the issue would not be valid.`)
      return 1
    }
    await writeBack(resolve(root, issue.path), text)
    const again = opened.approval.state === 'unapproved' ? '' : ` It was approved: approve it again (newsletter approve ${slug} --by "Your Name").`
    io.out(
      `${issue.path}: numbers for ${numbers.period} from ${exported.shown} (${exported.profile}): ${numbers.opened} opened, ${numbers.resolved} resolved.${again}`,
    )
    return 0
  },
}
