import { join, relative, resolve } from 'node:path'
import type { Command } from './command.ts'
import { collectMessages, formatText } from '../check/messages.ts'
import { NewsletterError, hasErrors } from '../errors.ts'
import { feedbackKey, importFeedback } from '../feedback/import.ts'
import { formatComments, formatOutcome, type Titles } from '../feedback/report.ts'
import { splitSections } from '../markdown/parts.ts'
import { loadProject, projectDocs } from '../project/project.ts'
import { writeAtomic } from '../project/write.ts'
import { readRecipients } from '../send/recipients.ts'

/** `newsletter feedback import FILE…`: count the answers to the feedback buttons from a mailbox export. */
export const feedbackCommand: Command = {
  name: 'feedback',
  usage: 'feedback import FILE… [--recipients FILE] [--comments FILE]',
  allowPositionals: true,
  options: { recipients: { type: 'string' }, comments: { type: 'string' } },
  help: {
    'FILE…': 'mbox files, folders of .eml files, or .eml files exported from the feedback mailbox',
    '--recipients FILE': 'the staff list `send` reads: count answers per department too (needs content/departments.yml; groups under 5 are not shown)',
    '--comments FILE': 'write what people wrote (no addresses, quotes or signatures) to FILE, for IT to read',
    '--help': 'show this help',
  },
  async run(values, positionals, io, root) {
    const [action, ...paths] = positionals
    if (action !== 'import')
      throw new NewsletterError(`Unknown feedback action \`${action ?? ''}\``, 'usage', undefined, { hint: 'Run: newsletter feedback import FILE…' })
    if (paths.length === 0)
      throw new NewsletterError('Give the mailbox to import: an mbox file, a folder of .eml files, or both', 'usage', undefined, {
        hint: 'newsletter feedback import replies.mbox exported/',
      })
    const key = feedbackKey(process.env)
    const project = await loadProject(root)
    const config = project.config
    if (!config)
      throw new NewsletterError('The settings have errors: nothing was imported', 'content', undefined, {
        details: formatText(collectMessages([project.settingsFile])),
      })
    const docs = projectDocs(project)
    const sections = new Map(docs.map((doc) => [doc.slug, splitSections(doc.body.children).filter((section) => section.title)]))
    let departmentOf: ((address: string) => string | undefined) | undefined
    if (values.recipients !== undefined) {
      const departments = project.departments.departments
      if (!departments)
        throw new NewsletterError('--recipients counts answers per department, and there is no content/departments.yml', 'usage', undefined, {
          hint: 'Add content/departments.yml (see README, "Departments"), or leave out --recipients',
        })
      const list = await readRecipients(resolve(root, String(values.recipients)), { departments, columns: config.settings.send?.recipients_columns })
      if (hasErrors([list.file]))
        throw new NewsletterError(`The recipients file has errors: nothing was imported`, 'refused', undefined, {
          details: formatText(collectMessages([list.file])),
          hint: 'Fix the rows listed above, then import again',
        })
      const byAddress = new Map(list.recipients.map((recipient) => [recipient.key, recipient.department]))
      departmentOf = (address) => byAddress.get(address)
    }
    const outcome = await importFeedback({
      paths,
      root,
      contentDir: config.contentDir,
      stateDir: join(root, '.newsletter', 'feedback'),
      key,
      documents: new Map([...sections].map(([slug, list]) => [slug, list.map((section) => section.id)])),
      departmentOf,
    })
    const titles: Titles = {
      issue: (slug) => {
        const doc = docs.find((each) => each.slug === slug)
        return doc?.meta.kind === 'issue' ? `Issue ${doc.meta.issue} (${slug})` : slug
      },
      section: (slug, id) => sections.get(slug)?.find((section) => section.id === id)?.title ?? id,
    }
    io.out(formatOutcome(outcome, titles))
    if (values.comments !== undefined) {
      const path = resolve(root, String(values.comments))
      await writeAtomic(path, formatComments(outcome.comments, titles)).catch((error: NodeJS.ErrnoException) => {
        throw new NewsletterError(`Cannot write ${relative(root, path)}: ${error.code ?? error.message}`, 'io', undefined, { cause: error })
      })
      io.out(`${outcome.comments.length} comment${outcome.comments.length === 1 ? '' : 's'} written to ${relative(root, path) || path}`)
    }
    return 0
  },
}
