import { readFile, rm, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { JsonMessage } from '../check/messages.ts'
import { defaults } from '../config.ts'
import { listSources } from '../content/load.ts'
import type { SiteRecord } from '../site/build-site.ts'
import { codeVersion, hashOf } from './cache.ts'
import type { RenderedView } from '../markdown/parts.ts'
import { DocMemo, sharedKey, type BuiltEmail, type DocResult } from './doc-memo.ts'
import { inputsFingerprint, loadProject, peekedOf, type Peeked, type Project } from './project.ts'
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
  /** What this build did again: documents read, rendered and checked, and archive pages rendered (the rest were kept). */
  redone?: { documents: number; ofDocuments: number; pages: number; ofPages: number }
}

interface LastBuild {
  inputs: string
  result: Omit<BuildResult, 'unchanged'>
}

/**
 * `newsletter build`: validate, render and check everything, then write the emails and the archive, or nothing at all.
 * When no input file, option, date or line of our code changed since the last build into the same folder, the outputs
 * are left as they are and the last build's messages are returned. Otherwise only the documents a change can reach are
 * parsed, rendered and checked again, and only the archive pages whose content changed are rendered; the result is
 * byte for byte that of a build from nothing.
 */
export async function buildProject(root: string, options: { drafts?: boolean; outDir?: string } = {}): Promise<BuildResult> {
  const cacheDir = join(root, '.newsletter', 'cache')
  const outDir = options.outDir ?? join(root, defaults.outDir)
  const record = join(cacheDir, 'build.json')
  const today = new Date().toISOString().slice(0, 10)
  const inputs = hashOf(await inputsFingerprint(root), String(Boolean(options.drafts)), outDir, today)
  const last = await readJson<LastBuild>(record)
  if (last?.inputs === inputs && last.result.ok && (await exists(join(outDir, 'email'))) && (await exists(join(outDir, 'site'))))
    return { ...last.result, unchanged: true }

  const documents = await buildDocuments(root, outDir, cacheDir, { drafts: Boolean(options.drafts), today })
  const { project, messages, rendered, emails } = documents
  const config = project.config
  if (!config || messages.some((message) => message.severity === 'error')) return { messages, ok: false, emails: 0, pages: 0, outDir, unchanged: false }
  const { buildSite } = await import('../site/build-site.ts')
  // Both folders are built beside their targets; the site is swapped in first, then the emails, and a failure
  // anywhere leaves both as they were. The site's pages that did not change since the last build are taken from it:
  // its record is removed before the swap and written after, so a build stopped in between leaves none to trust.
  const siteDir = join(outDir, 'site')
  const siteRecord = join(cacheDir, 'site.json')
  const lastSite = await readJson<SiteRecord>(siteRecord)
  const site = await replaceDir(join(outDir, 'email'), async (emailDir) => {
    await writeFiles(
      emailDir,
      emails.flatMap((email) => [
        { path: `${email.slug}.html`, content: email.html },
        { path: `${email.slug}.txt`, content: email.text },
      ]),
    )
    return replaceDir(siteDir, async (temporary) => {
      const context = { departments: project.departments.departments, feedback: project.feedback.bySlug }
      const built = await buildSite({ rendered, emails }, config, temporary, context, lastSite?.dir === siteDir ? lastSite : undefined)
      await rm(siteRecord, { force: true })
      return built
    })
  })
  await writeAtomic(siteRecord, JSON.stringify({ dir: siteDir, keys: site.keys } satisfies SiteRecord))
  await documents.save()
  const result = { messages, ok: true, emails: emails.length, pages: site.pages, outDir }
  await writeAtomic(record, JSON.stringify({ inputs, result } satisfies LastBuild))
  const redone = { documents: documents.redone, ofDocuments: documents.total, pages: site.rendered, ofPages: site.files }
  return { ...result, unchanged: false, redone }
}

/** Every document's messages, and the published ones' renderings and emails, from the memo where it holds them. */
interface Documents {
  project: Project
  messages: JsonMessage[]
  rendered: RenderedView[]
  emails: BuiltEmail[]
  /** How many documents were read, rendered and checked again, of how many. */
  redone: number
  total: number
  /** Keep this build's results for the next build (call once the build succeeded). */
  save(): Promise<void>
}

/**
 * Validate, render and check the documents: those whose bytes changed, and those whose key says something they
 * depend on changed; take every other document's messages, rendering and email from the last build.
 */
async function buildDocuments(root: string, outDir: string, cacheDir: string, options: { drafts: boolean; today: string }): Promise<Documents> {
  const [{ collectMessages }, { runPipeline }] = await Promise.all([import('../check/messages.ts'), import('./pipeline.ts')])
  const listed = await listSources(join(root, defaults.contentDir), root)
  const memo = await DocMemo.open(cacheDir, listed)
  const changed = memo.changed()
  let project = await loadProject(root, { outDir, only: (source) => changed.has(source.path), known: (source) => memo.known(source) })
  const peeks = new Map<string, Peeked>(listed.map((source) => [source.path, memo.known(source) ?? {}]))
  for (const source of project.sources) peeks.set(source.source.path, peekedOf(source) ?? {})
  const approvers = project.config?.settings.send?.approvers
  const shared = sharedKey({
    code: await codeVersion(),
    project,
    drafts: options.drafts,
    today: options.today,
    approvers: approvers ? await readFile(resolve(root, approvers), 'latin1').catch(() => '') : '',
  })
  const keys = new Map(listed.map((source) => [source.path, memo.keyOf(source.path, project, shared, peeks.get(source.path)!)]))
  const kept = new Map<string, DocResult>()
  for (const source of listed) {
    const result = changed.has(source.path) ? undefined : await memo.get(keys.get(source.path)!)
    if (result) kept.set(source.path, result)
  }
  const dirty = new Set(listed.filter((source) => !kept.has(source.path)).map((source) => source.path))
  if ([...dirty].some((path) => !changed.has(path)))
    project = await loadProject(root, { outDir, only: (source) => dirty.has(source.path), known: (source) => memo.known(source), previous: project })
  const pipeline = await runPipeline(project, { drafts: options.drafts, cacheDir })
  // Unique issue numbers are checked across every issue, kept or not, so they are never kept.
  const numberChecks = new Set(project.numberChecks)
  const fresh = collectMessages(pipeline.files.filter((file) => !numberChecks.has(file)))
  const results = new Map(kept)
  for (const path of dirty) results.set(path, { messages: fresh.filter((message) => message.file === path) })
  pipeline.rendered.forEach(({ doc, ...rendered }, i) => {
    const { mjml: _mjml, ...email } = pipeline.emails[i]!
    results.set(doc.path, { ...results.get(doc.path)!, rendered, email })
  })
  const ordered = listed.map((source) => results.get(source.path)!)
  const messages = [
    ...fresh.filter((message) => !results.has(message.file)),
    ...ordered.flatMap((result) => result.messages),
    ...collectMessages(project.numberChecks),
  ].sort(byPlace)
  return {
    project,
    messages,
    rendered: ordered.flatMap((result) => (result.rendered ? [result.rendered] : [])),
    emails: ordered.flatMap((result) => (result.email ? [result.email] : [])),
    redone: dirty.size,
    total: listed.length,
    async save() {
      for (const path of dirty) await memo.set(keys.get(path)!, results.get(path)!)
      await memo.save(new Map(listed.map((source) => [source.path, { peeked: peeks.get(source.path)!, key: keys.get(source.path)! }])))
    },
  }
}

// By file and position, then by what is said: the order never depends on which documents were taken from the last build.
function byPlace(a: JsonMessage, b: JsonMessage): number {
  return (
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.severity.localeCompare(b.severity) ||
    a.rule.localeCompare(b.rule) ||
    a.message.localeCompare(b.message)
  )
}

function readJson<T>(path: string): Promise<T | undefined> {
  return readFile(path, 'utf8').then(
    (text) => JSON.parse(text) as T,
    () => undefined,
  )
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}
