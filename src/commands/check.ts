import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { runPipeline } from '../project/pipeline.ts'
import { collectMessages, formatText, summarize } from '../check/report.ts'
import type { Command } from './command.ts'
import { loadProject } from '../project/project.ts'
import { NewsletterError } from '../errors.ts'

/** `newsletter check`: every problem in every file (drafts included), nothing written. */
export const checkCommand: Command = {
  name: 'check',
  usage: 'check [FILES...] [--format text|json] [--online]',
  options: { format: { type: 'string', default: 'text' }, online: { type: 'boolean', default: false } },
  allowPositionals: true,
  help: {
    'FILES...': 'only report on these files (default: all content)',
    '--format F': 'text (default): `path:line:col: severity: message (rule)`; json: an array of messages',
    '--online': 'also fetch every external link (10 s timeout, 4 at a time) and report the broken ones',
    '--help': 'show this help',
  },
  async run(values, positionals, io, root) {
    const format = String(values.format)
    if (format !== 'text' && format !== 'json') {
      throw new NewsletterError(`--format must be text or json, got \`${format}\``, 'usage')
    }
    const missing = positionals.find((path) => !existsSync(resolve(root, path)))
    if (missing) throw new NewsletterError(`No such file: ${missing}`, 'usage', undefined, { hint: 'Give paths of files under content/, e.g. content/issues/2026-11.md' })
    const wanted = new Set(positionals.map((path) => resolve(root, path)))
    // Only the files asked about are loaded, rendered and checked; the others are only listed (links, issue numbers).
    const project = await loadProject(root, { only: wanted.size === 0 ? undefined : (source) => wanted.has(source.abs) })
    const pipeline = await runPipeline(project, { drafts: true, checks: { online: Boolean(values.online) }, cacheDir: join(root, '.newsletter', 'cache') })
    const all = collectMessages(pipeline.files)
    const messages = wanted.size === 0 ? all : all.filter((message) => wanted.has(resolve(root, message.file)))
    if (format === 'json') io.out(JSON.stringify(messages, null, 2))
    else if (messages.length > 0) io.out(`${formatText(messages)}\n${summarize(messages)}`)
    else io.out('No problems found.')
    return messages.some((message) => message.severity === 'error') ? 1 : 0
  },
}
