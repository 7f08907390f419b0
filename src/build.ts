import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { VFile } from 'vfile'
import { createChecker, type Checker, type CheckOptions } from './check/checker.ts'
import type { Config } from './config.ts'
import { loadContent } from './content/load.ts'
import type { Doc } from './content/types.ts'
import { buildEmail, type EmailArtifact } from './email/build-email.ts'
import { EmailCache } from './email/cache.ts'
import { loadLayouts, type Layouts } from './email/layout.ts'
import { hasErrors, NewsletterError, report } from './errors.ts'
import { renderParts, type RenderedDoc } from './markdown/parts.ts'

/** Everything one pass over the content produced. Outputs are only meaningful when no file has an error. */
export interface Pipeline {
  /** Every file looked at, each with its messages. */
  files: VFile[]
  rendered: RenderedDoc[]
  emails: EmailArtifact[]
}

/** Which documents a pass includes. */
export interface PipelineOptions {
  /** Include `status: draft` documents (default: false). */
  drafts?: boolean
  /** Only these documents (by path relative to the working directory); default: all. */
  only?: (doc: Doc) => boolean
  /** How the writing and email checks run (`--online`). */
  checks?: CheckOptions
  /** Keep compiled emails in this folder between builds and reuse them when nothing that shapes them changed (default: no cache). */
  cacheDir?: string
}

/** Load, validate and render every document into emails, collecting every problem rather than stopping at the first. */
export async function runPipeline(config: Config, options: PipelineOptions = {}): Promise<Pipeline> {
  const loaded = await loadContent(config.contentDir)
  const files = loaded.map(({ file }) => file)
  const docs = loaded
    .flatMap(({ doc }) => (doc ? [doc] : []))
    .filter((doc) => (options.drafts || doc.meta.status !== 'draft') && (options.only?.(doc) ?? true))
  const rendered: RenderedDoc[] = []
  const emails: EmailArtifact[] = []
  const layouts = await loadLayouts(join(config.layoutsDir, 'email'))
  const checker = await createChecker(config, loaded, options.checks)
  files.push(checker.file)
  const cache = options.cacheDir ? await EmailCache.open(options.cacheDir, config.settings, layouts) : undefined
  for (const doc of docs) {
    try {
      const { parts, email, checks } = await renderDoc(doc, config, layouts, checker, cache)
      files.push(checks)
      rendered.push(parts)
      emails.push(email)
    } catch (error) {
      if (!(error instanceof NewsletterError) || !error.where) throw error
      const layoutFile = new VFile({ path: error.where.file })
      report(layoutFile, 'error', `${error.message} (while rendering ${doc.path})`, 'layout/mjml', error.where, error.hint)
      files.push(layoutFile)
      // One broken layout breaks every document the same way: report it once.
      break
    }
  }
  await checker.finish()
  if (cache && !options.only && emails.length === docs.length) await cache.prune()
  return { files, rendered, emails }
}

/**
 * One document through the stages after loading: rendered parts, the email, and the writing and email checks
 * (their messages on a file of their own). Throws a positioned NewsletterError when a layout is broken.
 */
export async function renderDoc(
  doc: Doc,
  config: Config,
  layouts: Layouts,
  checker: Checker,
  cache?: EmailCache,
): Promise<{ parts: RenderedDoc; email: EmailArtifact; checks: VFile }> {
  const parts = renderParts(doc, { locale: config.settings.language })
  let email = await cache?.get(parts)
  if (!email) {
    email = await buildEmail(parts, config.settings, layouts)
    await cache?.set(parts, email)
  }
  return { parts, email, checks: await checker.checkDoc(doc, email) }
}

/** One file to write: a path under the output folder and its content. */
export interface Output {
  path: string
  content: string | Buffer
}

/** The email outputs of a pipeline: `email/<slug>.html` and `email/<slug>.txt`. */
export function emailOutputs(pipeline: Pipeline): Output[] {
  return pipeline.emails.flatMap((email) => [
    { path: `email/${email.slug}.html`, content: email.html },
    { path: `email/${email.slug}.txt`, content: email.text },
  ])
}

/**
 * Write every output or none: each is first written beside its target under a temporary name,
 * and only when all are written are they renamed into place (a rename is atomic on one file system).
 */
export async function writeOutputs(outDir: string, outputs: readonly Output[]): Promise<void> {
  const suffix = `.tmp-${process.pid}`
  const written: string[] = []
  try {
    for (const output of outputs) {
      const target = join(outDir, output.path)
      await mkdir(dirname(target), { recursive: true })
      await writeFile(target + suffix, output.content)
      written.push(target)
    }
  } catch (error) {
    await Promise.all(written.map((target) => rm(target + suffix, { force: true })))
    throw new NewsletterError(`Could not write to ${outDir}: ${(error as Error).message}`, 'io', undefined, { cause: error, hint: 'Check the folder exists and is writable; nothing was replaced' })
  }
  for (const target of written) await rename(target + suffix, target)
}

/** True when any file in the pipeline has an error. */
export function failed(pipeline: Pipeline): boolean {
  return hasErrors(pipeline.files)
}
