import { join } from 'node:path'
import { VFile } from 'vfile'
import { createChecker, type Checker, type CheckOptions } from '../check/checker.ts'
import { checkDepartmentContacts } from '../check/department-contact-rule.ts'
import type { Config } from '../config.ts'
import { needsApproval } from '../content/approval.ts'
import { approvedView, type Withheld } from '../content/approved-view.ts'
import { checkDocSignature } from '../content/signature.ts'
import { isPublished } from '../content/publish.ts'
import type { IssueFigures } from '../content/figures.ts'
import type { Doc } from '../content/types.ts'
import { buildEmail, type EmailArtifact } from '../email/build-email.ts'
import { EmailCache } from '../email/cache.ts'
import type { MjmlRunner } from '../email/compile.ts'
import { createMjmlPool, type MjmlPool } from '../email/mjml-pool.ts'
import type { Layouts } from '../email/layout.ts'
import { collectMessages, toFile, type JsonMessage } from '../check/messages.ts'
import { hasErrors, NewsletterError, report } from '../errors.ts'
import { renderParts, type RenderedDoc } from '../markdown/parts.ts'
import { codeVersion, DiskCache, hashOf } from './cache.ts'
import { loadingFiles, projectDocs, type Project } from './project.ts'

/** Everything one pass over the content produced. Outputs are only meaningful when no file has an error. */
export interface Pipeline {
  /** Every file looked at, each with its messages. */
  files: VFile[]
  rendered: RenderedDoc[]
  emails: EmailArtifact[]
}

/** Which documents a pass includes. */
export interface PipelineOptions {
  /** Include documents not yet approved (`draft` and `review`; default: false). */
  drafts?: boolean
  /** Only these documents; default: all the project loaded. */
  only?: (doc: Doc) => boolean
  /** How the writing and email checks run (`--online`). */
  checks?: CheckOptions
  /**
   * Keep compiled emails and check findings under this folder between builds, and reuse them when nothing that shapes
   * them changed (default: no cache).
   */
  cacheDir?: string
}

/** Render and check every document of a loaded project into emails, collecting every problem rather than stopping at the first. */
export async function runPipeline(project: Project, options: PipelineOptions = {}): Promise<Pipeline> {
  const files = loadingFiles(project)
  const { config, layouts } = project
  if (!config || !layouts) return { files, rendered: [], emails: [] }
  const wanted = (doc: Doc) => options.only?.(doc) ?? true
  const chosen = options.drafts ? { published: projectDocs(project), withheld: [] } : await publishedDocs(project, config, files)
  // A document left out is still rendered and checked as it is now: an error in it stops the build as before.
  const withheld = new Set(chosen.withheld.filter(wanted))
  const published = chosen.published.filter(wanted)
  const docs = [...published, ...withheld]
  const rendered: RenderedDoc[] = []
  const emails: EmailArtifact[] = []
  const checker = await createChecker(
    config,
    { glossary: project.glossary.glossary, pages: project.pages, previousIssue: (path) => project.previousProjects.get(path) },
    options.checks,
  )
  const departments = project.departments
  if (departments.departments)
    files.push(checkDepartmentContacts(departments.file.path, String(departments.file.value), departments.departments, config.settings.checks))
  const cache = options.cacheDir ? await EmailCache.open(join(options.cacheDir, 'email'), config.settings, layouts) : undefined
  // Findings depend on the document, the settings, glossary and layouts, the pages links may point to, and the
  // date (date-relative rules); fetched links (--online) are never cached.
  const checkCache = options.cacheDir && !options.checks?.online ? new DiskCache<JsonMessage[]>(join(options.cacheDir, 'checks')) : undefined
  const checkBase = hashOf(
    await codeVersion(),
    project.contextHash,
    [...project.pages].sort().join('\n'),
    (options.checks?.today ?? new Date()).toISOString().slice(0, 10),
  )
  // A file whose front matter has errors still has its body's writing checked, so every problem shows at once.
  for (const { loaded } of project.sources) {
    if (!loaded.doc && loaded.body) files.push(await checker.checkBody(loaded.file.path, String(loaded.file.value ?? ''), loaded.body))
  }
  // Many emails to compile (a cold build of an archive): MJML runs on worker threads while this thread parses,
  // renders and checks the next documents. A few (check, send, preview) are not worth starting workers for.
  const pool = docs.length >= poolThreshold ? lazyPool() : undefined
  // 1. Render every document and start its email; 2. take the emails in order and check each document
  const started = docs.map((doc) => {
    const parts = renderParts(doc, { locale: config.settings.language, figures: project.figures })
    const email = emailOf(parts, config, layouts, cache, pool?.run)
    email.catch(() => undefined)
    return { doc, parts, email }
  })
  try {
    for (const { doc, parts, email: pendingEmail } of started) {
      let email: EmailArtifact
      try {
        email = await pendingEmail
      } catch (error) {
        if (!(error instanceof NewsletterError) || !error.where) throw error
        const layoutFile = new VFile({ path: error.where.file })
        report(layoutFile, 'error', `${error.message} (while rendering ${doc.path})`, 'layout/mjml', error.where, error.hint)
        files.push(layoutFile)
        // One broken layout breaks every document the same way: report it once.
        break
      }
      // A notice published as of an earlier revision has the file's text but other values: the key holds both, and
      // the projects of the issue before, which project slips are measured against.
      const key = hashOf(checkBase, doc.path, String(doc.file.value), JSON.stringify(doc.meta), JSON.stringify(project.previousProjects.get(doc.path) ?? null))
      const known = await checkCache?.get(key)
      const findings = known ? toFile(doc.path, known) : await checker.checkDoc(doc, email)
      if (!known) await checkCache?.set(key, collectMessages([findings]))
      if (!withheld.has(doc)) {
        rendered.push(parts)
        emails.push(email)
      }
      files.push(findings)
    }
  } finally {
    await pool?.close()
  }
  await checker.finish()
  if (project.complete && !options.only && emails.length === published.length) await Promise.all([cache?.prune(), checkCache?.prune()])
  return { files, rendered, emails }
}

/**
 * The documents readers may see, each as it was approved: unchanged since approval, or a notice as of its last
 * approved revision. One marked approved but changed (or with no digest, or not signed by a listed approver when
 * `send.approvers` asks for it) is left out, with a warning on a new file; with `notices.approval: optional` a
 * notice is published as it is.
 */
async function publishedDocs(project: Project, config: Config, files: VFile[]): Promise<{ published: Doc[]; withheld: Doc[] }> {
  const warn = (doc: Doc, said: Withheld) => {
    const file = new VFile({ path: doc.path })
    report(file, 'warning', said.reason, 'approval/published', said.place, said.hint)
    files.push(file)
  }
  const views = await Promise.all(
    projectDocs(project).map(async (doc): Promise<{ published?: Doc; withheld?: Doc }> => {
      if (!isPublished(doc.meta)) return {}
      if (!needsApproval(doc, config.settings)) return { published: doc }
      const view = approvedView(doc, String(doc.file.value))
      const said = view.withheld ?? view.note
      if (said) warn(doc, said)
      if (!view.doc) return { withheld: doc }
      const signed = await checkDocSignature(doc, config)
      if (signed && !signed.ok) {
        const place = doc.where('approved_signature') ?? doc.where('approved_by') ?? said?.place ?? { line: 1, column: 1 }
        warn(doc, { reason: `${doc.slug}: ${signed.reason}: left out`, place, hint: signed.hint.replace('SLUG', doc.slug) })
        return { withheld: doc }
      }
      return { published: view.doc }
    }),
  )
  return {
    published: views.flatMap((view) => (view.published ? [view.published] : [])),
    withheld: views.flatMap((view) => (view.withheld ? [view.withheld] : [])),
  }
}

/**
 * One document through the stages after loading: rendered parts, the email, and the writing and email checks'
 * findings (a new file). Throws a positioned NewsletterError when a layout is broken.
 */
export async function renderDoc(
  doc: Doc,
  config: Config,
  layouts: Layouts,
  checker: Checker,
  cache?: EmailCache,
  figures?: readonly IssueFigures[],
): Promise<{ parts: RenderedDoc; email: EmailArtifact; findings: VFile }> {
  const parts = renderParts(doc, { locale: config.settings.language, figures })
  const email = await emailOf(parts, config, layouts, cache)
  return { parts, email, findings: await checker.checkDoc(doc, email) }
}

/** How many documents make a pass worth starting MJML workers for. */
const poolThreshold = 20

/** A worker pool started at the first email that is not in the cache, so a warm rebuild starts none. */
function lazyPool(): MjmlPool {
  let pool: MjmlPool | undefined
  return {
    run: (source) => (pool ??= createMjmlPool()).run(source),
    close: async () => pool?.close(),
  }
}

async function emailOf(parts: RenderedDoc, config: Config, layouts: Layouts, cache?: EmailCache, run?: MjmlRunner): Promise<EmailArtifact> {
  let email = await cache?.get(parts)
  if (!email) {
    email = await buildEmail(parts, config.settings, layouts, run)
    await cache?.set(parts, email)
  }
  return email
}

/** One file to write: a path under the output folder and its content. */
export interface Output {
  path: string
  content: string | Buffer
}

/** The email outputs of a pipeline: `<slug>.html` and `<slug>.txt`. */
export function emailOutputs(pipeline: Pipeline): Output[] {
  return pipeline.emails.flatMap((email) => [
    { path: `${email.slug}.html`, content: email.html },
    { path: `${email.slug}.txt`, content: email.text },
  ])
}

/** True when any file in the pipeline has an error. */
export function failed(pipeline: Pipeline): boolean {
  return hasErrors(pipeline.files)
}
