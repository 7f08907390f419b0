import { resolve } from 'node:path'
import { buildProject, type BuildResult } from '../project/build.ts'
import { formatText, summarize } from '../check/messages.ts'
import type { Command } from './command.ts'

/** `newsletter build`: validate everything, then write every email and the archive site, or nothing at all. */
export const buildCommand: Command = {
  name: 'build',
  usage: 'build [--drafts] [--out DIR]',
  options: { drafts: { type: 'boolean', default: false }, out: { type: 'string' } },
  help: {
    '--drafts': 'also build issues and notices not yet approved (draft and review), marked as such',
    '--out DIR': 'where to write (default: dist)',
    '--help': 'show this help',
  },
  async run(values, _positionals, io, root) {
    const started = performance.now()
    const result = await buildProject(root, { drafts: Boolean(values.drafts), outDir: values.out ? resolve(root, String(values.out)) : undefined })
    if (result.messages.length > 0) io.err(formatText(result.messages))
    if (!result.ok) {
      io.err(`Build failed: ${summarize(result.messages)}. Nothing was written.`)
      return 1
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2)
    const emails = `${result.emails} email${result.emails === 1 ? '' : 's'}`
    io.out(
      result.unchanged
        ? `Nothing changed since the last build: the ${emails} in ${result.outDir}/email and ${result.pages} archive pages in ${result.outDir}/site are up to date (${seconds}s, ${summarize(result.messages)}).`
        : `Built ${emails} into ${result.outDir}/email and ${result.pages} archive pages into ${result.outDir}/site in ${seconds}s (${redone(result)}${summarize(result.messages)}).`,
    )
    return 0
  },
}

/** `1 of 1000 documents and 7 of 3196 archive files redone; ` when the last build's work was kept, else nothing. */
function redone(result: BuildResult): string {
  const done = result.redone
  if (!done || (done.documents === done.ofDocuments && done.pages === done.ofPages)) return ''
  return `${done.documents} of ${done.ofDocuments} documents and ${done.pages} of ${done.ofPages} archive files redone; `
}
