import { join, resolve } from 'node:path'
import { emailOutputs, failed, runPipeline, writeOutputs } from '../build.ts'
import { collectMessages, formatText, summarize } from '../check/report.ts'
import type { Command } from '../cli.ts'
import { loadConfig } from '../config.ts'
import { writeSite } from '../site/build-site.ts'

/** `newsletter build`: validate everything, then write every email and the archive site, or nothing at all. */
export const buildCommand: Command = {
  name: 'build',
  summary: 'Validate all content, then write the emails (HTML + text) and the archive site to dist/',
  usage: 'build [--drafts] [--out DIR]',
  options: { drafts: { type: 'boolean', default: false }, out: { type: 'string' } },
  help: {
    '--drafts': 'also build issues and notices not yet approved (draft and review), marked as such',
    '--out DIR': 'where to write (default: dist)',
    '--help': 'show this help',
  },
  async run(values, _positionals, io) {
    const started = performance.now()
    const { file, config } = await loadConfig({ outDir: values.out ? resolve(String(values.out)) : undefined })
    if (!config) {
      io.err(formatText(collectMessages([file])))
      return 1
    }
    const pipeline = await runPipeline(config, { drafts: Boolean(values.drafts), cacheDir: join(config.root, '.newsletter', 'cache', 'email') })
    const messages = collectMessages([file, ...pipeline.files])
    if (messages.length > 0) io.err(formatText(messages))
    if (failed(pipeline)) {
      io.err(`Build failed: ${summarize(messages)}. Nothing was written.`)
      return 1
    }
    // The site goes first: it is built beside dist/site and swapped in, so a failure there leaves the emails untouched too.
    const site = await writeSite(pipeline, config)
    await writeOutputs(config.outDir, emailOutputs(pipeline))
    const seconds = ((performance.now() - started) / 1000).toFixed(2)
    io.out(`Built ${pipeline.emails.length} email${pipeline.emails.length === 1 ? '' : 's'} into ${config.outDir}/email and ${site.pages} archive pages into ${site.dir} in ${seconds}s (${summarize(messages)}).`)
    return 0
  },
}
