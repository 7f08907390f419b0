import { join, resolve } from 'node:path'
import { failed, runPipeline, writeEmails } from '../build.ts'
import { collectMessages, formatText, summarize } from '../check/report.ts'
import type { Command } from './command.ts'
import { loadProject } from '../project/project.ts'
import { writeSite } from '../site/build-site.ts'

/** `newsletter build`: validate everything, then write every email and the archive site, or nothing at all. */
export const buildCommand: Command = {
  name: 'build',
  usage: 'build [--drafts] [--out DIR]',
  options: { drafts: { type: 'boolean', default: false }, out: { type: 'string' } },
  help: {
    '--drafts': 'also build issues and notices whose status is draft',
    '--out DIR': 'where to write (default: dist)',
    '--help': 'show this help',
  },
  async run(values, _positionals, io, root) {
    const started = performance.now()
    const project = await loadProject(root, { outDir: values.out ? resolve(root, String(values.out)) : undefined })
    const pipeline = await runPipeline(project, { drafts: Boolean(values.drafts), cacheDir: join(root, '.newsletter', 'cache') })
    const messages = collectMessages(pipeline.files)
    const config = project.config
    if (messages.length > 0) io.err(formatText(messages))
    if (!config || failed(pipeline)) {
      io.err(`Build failed: ${summarize(messages)}. Nothing was written.`)
      return 1
    }
    // The site goes first: it is built beside dist/site and swapped in, so a failure there leaves the emails untouched too.
    const site = await writeSite(pipeline, config)
    await writeEmails(config.outDir, pipeline)
    const seconds = ((performance.now() - started) / 1000).toFixed(2)
    io.out(`Built ${pipeline.emails.length} email${pipeline.emails.length === 1 ? '' : 's'} into ${config.outDir}/email and ${site.pages} archive pages into ${site.dir} in ${seconds}s (${summarize(messages)}).`)
    return 0
  },
}
