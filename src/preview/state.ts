import { readdir, readFile } from 'node:fs/promises'
import { basename, join, relative, resolve } from 'node:path'
import { VFile } from 'vfile'
import { renderDoc } from '../build.ts'
import { createChecker, type Checker } from '../check/checker.ts'
import { collectMessages, type JsonMessage } from '../check/report.ts'
import { defaults, loadConfig, type Config } from '../config.ts'
import { checkIssueNumbers, parseDoc, type Kind, type Loaded } from '../content/load.ts'
import type { Doc, Status } from '../content/types.ts'
import type { EmailArtifact } from '../email/build-email.ts'
import { loadLayouts, type Layouts } from '../email/layout.ts'
import { NewsletterError, report } from '../errors.ts'
import type { RenderedDoc } from '../markdown/parts.ts'
import { renderDocPage } from '../site/build-site.ts'

/** A document as the preview lists it: enough for the index, even when the file does not parse. */
export interface DocSummary {
  /** `issues/<slug>` or `notices/<slug>`: the document's address in the preview. */
  key: string
  kind: Kind
  slug: string
  /** Relative to the project root, as messages name it. */
  path: string
  title: string
  status?: Status
  date?: string
  errors: number
  warnings: number
}

/** Everything the preview shows for one document. */
export interface DocPreview extends DocSummary {
  /** The same messages `check` prints for this document (its file, cross-file rules, settings, layouts). */
  messages: JsonMessage[]
  parts?: RenderedDoc
  email?: EmailArtifact
  /** The document's archive page, as the site would publish it. */
  archive?: string
}

/** What a refresh found changed: every document (settings or layouts), or these keys. */
export interface Change {
  all: boolean
  keys: string[]
}

interface Entry {
  key: string
  kind: Kind
  slug: string
  abs: string
  text: string
  loaded: Loaded
  render?: Promise<Rendered>
  /** The finished rendering of the current version, once there is one (the index shows its failures). */
  rendered?: Rendered
}

interface Rendered {
  parts?: RenderedDoc
  email?: EmailArtifact
  archive?: string
  /** The writing and email checks' messages. */
  checks?: VFile
  /** Where rendering failed (the email or the archive page): a layout line, or the document itself. */
  failures: VFile[]
}

const folders = [['issues', 'issue'], ['notices', 'notice']] as const

/**
 * The preview's view of a project, kept up to date by `refresh()`. Each document is parsed when its text
 * changes and rendered at most once per version; a settings or layout change drops every rendering, and
 * documents are rendered again only when asked for.
 */
export class PreviewState {
  readonly contentDir: string
  readonly layoutsDir: string
  readonly settingsPath: string
  private entries = new Map<string, Entry>()
  private crossFile = new Map<string, VFile>()
  private config?: Config
  private settingsFile = new VFile()
  private checker: Checker | undefined
  private glossaryText: string | undefined
  private settingsText?: string
  private layouts?: Layouts
  private layoutsFile = new VFile()
  private layoutsSignature?: string
  private queue: Promise<unknown> = Promise.resolve()

  constructor(readonly root: string) {
    this.contentDir = join(root, defaults.contentDir)
    this.layoutsDir = join(root, defaults.layoutsDir)
    this.settingsPath = join(root, defaults.settingsFile)
  }

  /** Re-read settings, layouts and content; re-parse and re-render what changed. Calls run one at a time. */
  refresh(): Promise<Change> {
    const next = this.queue.then(() => this.rescan())
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Every document, issues then notices, newest first. */
  list(): DocSummary[] {
    return [...this.entries.values()].sort((a, b) => a.kind.localeCompare(b.kind) || b.slug.localeCompare(a.slug)).map((entry) => this.summarize(entry, this.baseMessages(entry)))
  }

  /** One document with its rendering, or undefined when no such document is loaded. */
  async view(key: string): Promise<DocPreview | undefined> {
    await this.queue
    const entry = this.entries.get(key)
    if (!entry) return undefined
    const rendered: Rendered = entry.loaded.doc && this.config && this.layouts ? await (entry.render ??= this.render(entry)) : { failures: [] }
    const messages = collectMessages([this.settingsFile, this.layoutsFile, ...(this.checker ? [this.checker.file] : []), entry.loaded.file, this.crossFile.get(key)!, ...(rendered.checks ? [rendered.checks] : []), ...rendered.failures])
    return { ...this.summarize(entry, messages), messages, parts: rendered.parts, email: rendered.email, archive: rendered.archive }
  }

  private baseMessages(entry: Entry): JsonMessage[] {
    return collectMessages([this.settingsFile, this.layoutsFile, ...(this.checker ? [this.checker.file] : []), entry.loaded.file, this.crossFile.get(entry.key)!, ...(entry.rendered?.checks ? [entry.rendered.checks] : []), ...(entry.rendered?.failures ?? [])])
  }

  private summarize(entry: Entry, messages: JsonMessage[]): DocSummary {
    const meta = entry.loaded.doc?.meta
    const errors = messages.filter((message) => message.severity === 'error').length
    return { key: entry.key, kind: entry.kind, slug: entry.slug, path: this.relative(entry.abs), title: meta?.title ?? entry.slug, status: meta?.status, date: meta?.date, errors, warnings: messages.length - errors }
  }

  private relative(path: string): string {
    return relative(this.root, path) || path
  }

  private async rescan(): Promise<Change> {
    const settingsChanged = await this.rescanSettings()
    const layoutsChanged = await this.rescanLayouts()
    const before = new Set(this.entries.keys())
    const keys = new Set(await this.rescanContent())
    // Link checks look at the set of pages, and jargon checks at the glossary: either change touches every document.
    const pagesChanged = before.size > 0 && (this.entries.size !== before.size || [...this.entries.keys()].some((key) => !before.has(key)))
    const glossaryChanged = await this.rescanGlossary()
    const all = settingsChanged || layoutsChanged || pagesChanged || glossaryChanged
    // The checker holds the glossary and the set of pages: only a change to those, the settings or the layouts renews it.
    if (all || !this.checker) this.checker = this.config && (await createChecker(this.config, [...this.entries.values()].map((entry) => entry.loaded)))
    if (all) {
      for (const entry of this.entries.values()) {
        entry.loaded = this.parse(entry)
        entry.render = entry.rendered = undefined
      }
    }
    this.checkCrossFile(keys)
    // The documents that changed are rendered before the change is announced, so a reload finds them ready.
    if (!all) await Promise.all([...keys].map((key) => this.entries.get(key)).map((entry) => entry?.loaded.doc && this.config && this.layouts && this.checker && (entry.render ??= this.render(entry))))
    return { all, keys: [...keys].sort() }
  }

  private async rescanGlossary(): Promise<boolean> {
    const text = await readFile(join(this.contentDir, 'glossary.yml'), 'utf8').catch(() => '')
    if (text === this.glossaryText) return false
    const first = this.glossaryText === undefined
    this.glossaryText = text
    return !first
  }

  private async rescanSettings(): Promise<boolean> {
    const text = await readFile(this.settingsPath, 'utf8').catch((error: Error) => error)
    const signature = typeof text === 'string' ? text : `missing: ${text.message}`
    if (signature === this.settingsText) return false
    this.settingsText = signature
    if (typeof text !== 'string') {
      this.config = undefined
      this.settingsFile = new VFile({ path: this.relative(this.settingsPath) })
      report(this.settingsFile, 'error', `The settings file could not be read: ${text.message}`, 'settings/missing', { line: 1, column: 1 }, 'Create content/settings.yml (see README.md, "Settings")')
      return true
    }
    const { file, config } = await loadConfig({ root: this.root })
    // The preview names files relative to the project it shows, wherever it was started from.
    file.path = this.relative(this.settingsPath)
    this.settingsFile = file
    this.config = config
    return true
  }

  private async rescanLayouts(): Promise<boolean> {
    const signature = (await readTree(this.layoutsDir)).map(([path, text]) => `${path}\u0000${text}`).join('\u0000')
    if (signature === this.layoutsSignature) return false
    this.layoutsSignature = signature
    this.layoutsFile = new VFile()
    try {
      this.layouts = await loadLayouts(join(this.layoutsDir, 'email'))
    } catch (error) {
      this.layouts = undefined
      this.layoutsFile = new VFile({ path: this.relative(join(this.layoutsDir, 'email')) })
      report(this.layoutsFile, 'error', `The email layouts could not be read: ${(error as Error).message}`, 'layout/missing', { line: 1, column: 1 }, 'Restore layouts/email/ (issue.mjml, notice.mjml and the files they include)')
    }
    return true
  }

  private async rescanContent(): Promise<string[]> {
    const changed: string[] = []
    const seen = new Set<string>()
    for (const [folder, kind] of folders) {
      const dir = join(this.contentDir, folder)
      const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.md')).sort()
      for (const name of names) {
        const abs = join(dir, name)
        const text = await readFile(abs, 'utf8').catch(() => undefined)
        if (text === undefined) continue
        const slug = basename(name, '.md')
        const key = `${folder}/${slug}`
        seen.add(key)
        const old = this.entries.get(key)
        if (old?.text === text) continue
        const entry: Entry = { key, kind, slug, abs, text, loaded: { file: new VFile() } }
        entry.loaded = this.parse(entry)
        this.entries.set(key, entry)
        changed.push(key)
      }
    }
    for (const key of this.entries.keys()) {
      if (!seen.has(key)) {
        this.entries.delete(key)
        changed.push(key)
      }
    }
    return changed
  }

  private parse(entry: Entry): Loaded {
    const path = this.relative(entry.abs)
    try {
      return parseDoc(path, entry.text, entry.kind)
    } catch (error) {
      // parseDoc reports bad content as messages; a throw is a bug, shown on the page rather than lost in a log.
      const file = new VFile({ path, value: entry.text })
      report(file, 'error', `The file could not be read: ${(error as Error).message}`, 'preview/parse', { line: 1, column: 1 })
      return { file }
    }
  }

  /** Cross-file rules go on a scratch file per document, so cached parses are never written to twice. */
  private checkCrossFile(changed: Set<string>): void {
    const scratch = new Map([...this.entries.values()].map((entry) => [entry.key, new VFile({ path: this.relative(entry.abs) })]))
    const ordered = [...this.entries.values()].sort((a, b) => a.abs.localeCompare(b.abs))
    checkIssueNumbers(ordered.map(({ key, loaded }) => ({ file: scratch.get(key)!, doc: loaded.doc && { ...loaded.doc, file: scratch.get(key)! } })))
    for (const [key, file] of scratch) {
      const before = this.crossFile.get(key)?.messages.map(String).join('\n')
      if (before !== undefined && before !== file.messages.map(String).join('\n')) changed.add(key)
    }
    this.crossFile = scratch
  }

  private async render(entry: Entry): Promise<Rendered> {
    const loaded = entry.loaded
    const rendered = await this.renderLoaded(loaded.doc!)
    if (entry.loaded === loaded) entry.rendered = rendered
    return rendered
  }

  private async renderLoaded(doc: Doc): Promise<Rendered> {
    const config = this.config!
    let rendered: { parts: RenderedDoc; email: EmailArtifact; checks: VFile }
    try {
      rendered = await renderDoc(doc, config, this.layouts!, this.checker!)
    } catch (error) {
      return { failures: [this.failure(doc.path, error, 'The email could not be rendered', 'layout/mjml')] }
    }
    try {
      return { ...rendered, archive: await renderDocPage(rendered.parts, config), failures: [] }
    } catch (error) {
      return { ...rendered, failures: [this.failure(doc.path, error, 'The archive page could not be rendered', 'layout/site')] }
    }
  }

  /** A rendering error as a message: at its layout line when known, else at the top of the document. */
  private failure(docPath: string, error: unknown, what: string, layoutRule: string): VFile {
    const where = error instanceof NewsletterError && error.where ? { ...error.where, file: this.relative(resolve(error.where.file)) } : undefined
    const file = new VFile({ path: where?.file ?? docPath })
    const message = error instanceof Error ? error.message : String(error)
    report(file, 'error', where ? `${message} (while rendering ${docPath})` : `${what}: ${message}`, where ? layoutRule : 'preview/render', where ?? { line: 1, column: 1 }, error instanceof NewsletterError ? error.hint : undefined)
    return file
  }
}

/** Every file under a folder with its text, sorted by path; a missing folder is empty. */
async function readTree(dir: string): Promise<[string, string][]> {
  const names = await readdir(dir, { recursive: true }).catch(() => [] as string[])
  const files: [string, string][] = []
  for (const name of names.sort()) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => undefined)
    if (text !== undefined) files.push([name, text])
  }
  return files
}
