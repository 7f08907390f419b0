import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { JsonMessage } from '../check/messages.ts'
import { defaults } from '../config.ts'
import { hashOf } from './cache.ts'
import { inputsFingerprint, loadProject } from './project.ts'
import { replaceDir, writeAtomic, writeFiles } from './write.ts'

/** What `build` did, for the command to print. */
export interface BuildResult {
  /** Every message, errors first, as `check` prints them. */
  messages: JsonMessage[]
  /** False when any file has an error: then nothing was written. */
  ok: boolean
  emails: number
  pages: number
  outDir: string
  /** True when no input changed since the last build into the same folder, so nothing was done. */
  unchanged: boolean
}

interface LastBuild {
  inputs: string
  result: Omit<BuildResult, 'unchanged'>
}

/**
 * `newsletter build`: validate, render and check everything, then write the emails and the archive, or nothing at all.
 * When no input file, option, date or line of our code changed since the last build into the same folder, the outputs
 * are left as they are and the last build's messages are returned.
 */
export async function buildProject(root: string, options: { drafts?: boolean; outDir?: string } = {}): Promise<BuildResult> {
  const cacheDir = join(root, '.newsletter', 'cache')
  const outDir = options.outDir ?? join(root, defaults.outDir)
  const record = join(cacheDir, 'build.json')
  const inputs = hashOf(await inputsFingerprint(root), String(Boolean(options.drafts)), outDir, new Date().toISOString().slice(0, 10))
  const last = await readFile(record, 'utf8').then(
    (text) => JSON.parse(text) as LastBuild,
    () => undefined,
  )
  if (last?.inputs === inputs && last.result.ok && (await exists(join(outDir, 'email'))) && (await exists(join(outDir, 'site'))))
    return { ...last.result, unchanged: true }

  // The renderers, MJML and Eleventy are loaded only when there is something to build.
  const [{ collectMessages }, { emailOutputs, failed, runPipeline }, { buildSite }] = await Promise.all([
    import('../check/messages.ts'),
    import('./pipeline.ts'),
    import('../site/build-site.ts'),
  ])
  const project = await loadProject(root, { outDir })
  const pipeline = await runPipeline(project, { drafts: options.drafts, cacheDir })
  const messages = collectMessages(pipeline.files)
  const config = project.config
  if (!config || failed(pipeline)) return { messages, ok: false, emails: 0, pages: 0, outDir, unchanged: false }
  // Both folders are built beside their targets; the site is swapped in first, then the emails, and a failure
  // anywhere leaves both as they were.
  const pages = await replaceDir(join(outDir, 'email'), async (emailDir) => {
    await writeFiles(emailDir, emailOutputs(pipeline))
    return replaceDir(join(outDir, 'site'), (siteDir) => buildSite(pipeline, config, siteDir, project.departments.departments))
  })
  const emails = pipeline.emails.length
  const result = { messages, ok: true, emails, pages, outDir }
  await writeAtomic(record, JSON.stringify({ inputs, result } satisfies LastBuild))
  return { ...result, unchanged: false }
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}
