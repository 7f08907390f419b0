import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import { runPipeline, writeOutputs } from '../build.ts'
import { applyFixes, fixesOf } from '../check/fix.ts'
import { collectMessages, formatText, summarize } from '../check/report.ts'
import type { Command } from '../cli.ts'
import { loadConfig } from '../config.ts'
import { NewsletterError } from '../errors.ts'

/** `newsletter check`: every problem in every file (drafts included), nothing written. */
export const checkCommand: Command = {
  name: 'check',
  summary: 'Check issues and notices (drafts included) without writing anything',
  usage: 'check [FILES...] [--format text|json] [--online] [--fix]',
  options: { format: { type: 'string', default: 'text' }, online: { type: 'boolean', default: false }, fix: { type: 'boolean', default: false } },
  allowPositionals: true,
  help: {
    'FILES...': 'only report on these files (default: all content)',
    '--format F': 'text (default): `path:line:col: severity: message (rule)`; json: an array of messages',
    '--online': 'also fetch every external link (10 s timeout, 4 at a time) and report the broken ones',
    '--fix': 'first replace the words that have one plain replacement, in place, and print each change',
    '--help': 'show this help',
  },
  async run(values, positionals, io) {
    const format = String(values.format)
    if (format !== 'text' && format !== 'json') {
      throw new NewsletterError(`--format must be text or json, got \`${format}\``, 'usage')
    }
    const missing = positionals.find((path) => !existsSync(path))
    if (missing) throw new NewsletterError(`No such file: ${missing}`, 'usage', undefined, { hint: 'Give paths of files under content/, e.g. content/issues/2026-11.md' })
    const wanted = new Set(positionals.map((path) => resolve(path)))
    const { file, config } = await loadConfig()
    if (config && values.fix) {
      const first = await runPipeline(config, { drafts: true })
      for (const [path, edits] of fixesOf(first.files)) {
        if (wanted.size > 0 && !wanted.has(resolve(path))) continue
        const { text, applied } = applyFixes(await readFile(path, 'utf8'), edits)
        if (applied.length === 0) continue
        await writeOutputs(dirname(path), [{ path: basename(path), content: text }])
        for (const edit of applied) io.out(`${edit.path}:${edit.line}:${edit.column}: fixed: ${edit.actual} → ${edit.expected}`)
      }
    }
    const pipeline = config ? await runPipeline(config, { drafts: true, checks: { online: Boolean(values.online) } }) : { files: [] }
    const all = collectMessages([file, ...pipeline.files])
    const messages = wanted.size === 0 ? all : all.filter((message) => wanted.has(resolve(message.file)))
    if (format === 'json') io.out(JSON.stringify(messages, null, 2))
    else if (messages.length > 0) io.out(`${formatText(messages)}\n${summarize(messages)}`)
    else io.out('No problems found.')
    return messages.some((message) => message.severity === 'error') ? 1 : 0
  },
}
