import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { checkAudienceReach } from '../check/audience-rule.ts'
import { applyFixes, fixesOf } from '../check/fix.ts'
import { runPipeline } from '../project/pipeline.ts'
import { writeAtomic } from '../project/write.ts'
import { collectMessages, formatText, summarize } from '../check/messages.ts'
import type { Command } from './command.ts'
import { loadProject } from '../project/project.ts'
import { NewsletterError } from '../errors.ts'

/** `newsletter check`: every problem in every file (drafts included), nothing written. */
export const checkCommand: Command = {
  name: 'check',
  usage: 'check [FILES...] [--format text|json] [--online] [--fix] [--recipients FILE]',
  options: {
    format: { type: 'string', default: 'text' },
    online: { type: 'boolean', default: false },
    fix: { type: 'boolean', default: false },
    recipients: { type: 'string' },
  },
  allowPositionals: true,
  help: {
    'FILES...': 'only report on these files (default: all content)',
    '--format F': 'text (default): `path:line:col: severity: message (rule)`; json: an array of messages',
    '--online': 'also fetch every external link (10 s timeout, 4 at a time) and report the broken ones',
    '--fix': 'first replace the words that have one plain replacement, in place, and print each change',
    '--recipients FILE': 'also read this recipients file (as send does) and warn about anything for a department nobody in it is in',
    '--help': 'show this help',
  },
  async run(values, positionals, io, root) {
    const format = String(values.format)
    if (format !== 'text' && format !== 'json') {
      throw new NewsletterError(`--format must be text or json, got \`${format}\``, 'usage')
    }
    const missing = positionals.find((path) => !existsSync(resolve(root, path)))
    if (missing)
      throw new NewsletterError(`No such file: ${missing}`, 'usage', undefined, { hint: 'Give paths of files under content/, e.g. content/issues/2026-11.md' })
    const wanted = new Set(positionals.map((path) => resolve(root, path)))
    // Only the files asked about are loaded, rendered and checked; the others are only listed (links, issue numbers).
    const only = wanted.size === 0 ? undefined : (source: { abs: string }) => wanted.has(source.abs)
    const cacheDir = join(root, '.newsletter', 'cache')
    if (values.fix) {
      const first = await runPipeline(await loadProject(root, { only }), { drafts: true, cacheDir })
      for (const [path, edits] of fixesOf(first.files)) {
        const abs = resolve(root, path)
        const { text, applied } = applyFixes(await readFile(abs, 'utf8'), edits)
        if (applied.length === 0) continue
        await writeAtomic(abs, text)
        for (const edit of applied) io.out(`${edit.path}:${edit.line}:${edit.column}: fixed: ${edit.actual} → ${edit.expected}`)
      }
    }
    const project = await loadProject(root, { only })
    const pipeline = await runPipeline(project, { drafts: true, checks: { online: Boolean(values.online) }, cacheDir })
    const reach = typeof values.recipients === 'string' ? await checkAudienceReach(project, values.recipients) : []
    const all = collectMessages([...pipeline.files, ...reach])
    const recipientsFile = reach[0]?.path
    const messages = wanted.size === 0 ? all : all.filter((message) => wanted.has(resolve(root, message.file)) || message.file === recipientsFile)
    if (format === 'json') io.out(JSON.stringify(messages, null, 2))
    else if (messages.length > 0) io.out(`${formatText(messages)}\n${summarize(messages)}`)
    else io.out('No problems found.')
    return messages.some((message) => message.severity === 'error') ? 1 : 0
  },
}
