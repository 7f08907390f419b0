import { readFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { VFile } from 'vfile'
import type * as CheckChecker from '../check/checker.ts'
import type { Checker } from '../check/checker.ts'
import { collectMessages, type JsonMessage } from '../check/messages.ts'
import { defaults, type Config, type Settings } from '../config.ts'
import { addressOf } from '../content/address.ts'
import type { Kind, LoadedSource } from '../content/load.ts'
import { normalizeNewlines } from '../content/decode.ts'
import type { Department, Departments } from '../content/departments.ts'
import type { Doc, Status } from '../content/types.ts'
import { buildEmail, type EmailArtifact } from '../email/build-email.ts'
import { NewsletterError, report } from '../errors.ts'
import { editionOf } from '../markdown/edition.ts'
import type { RenderedDoc } from '../markdown/parts.ts'
import { approvalOf, type ApprovalState } from '../project/open-document.ts'
import type * as ProjectPipeline from '../project/pipeline.ts'
import { loadProject, previousAnswers, type Project } from '../project/project.ts'
import type * as SiteBuildSite from '../site/build-site.ts'

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
  /** Where the document stands with its approval, as `send` sees it; undefined when the file does not parse. */
  approval?: ApprovalState
  errors: number
  warnings: number
  /** False until the writing and email checks have run, so `errors` and `warnings` may still grow. */
  checked: boolean
}

/** Everything the preview shows for one document. */
export interface DocPreview extends DocSummary {
  /** The same messages `check` prints for this document (its file, cross-file rules, settings, layouts). */
  messages: JsonMessage[]
  parts?: RenderedDoc
  email?: EmailArtifact
  /** The document's archive page, as the site would publish it. */
  archive?: string
  /** The text of each file a message points at, by the path messages name it with, to show the line itself. */
  sources: Record<string, SourceFile>
}

/** A file a message points at: where it is on disk (for editor links) and its lines. */
export interface SourceFile {
  abs: string
  lines: string[]
}

/** What a refresh found changed: every document (settings or layouts), or these keys. */
export interface Change {
  all: boolean
  keys: string[]
}

interface Entry {
  key: string
  /** The file as the project loaded it: a new object exactly when its text (or its readability) changed. */
  source: LoadedSource
  render?: Promise<Rendered>
  /** The finished rendering of the current version, once there is one (the index shows its failures). */
  rendered?: Rendered
}

interface Rendered {
  parts?: RenderedDoc
  email?: EmailArtifact
  archive?: string
  /** The writing and email checks' findings, then where rendering failed (a layout line, or the document itself). */
  files: VFile[]
  /** Department editions asked for so far, by department id ('' for the general edition). */
  editions: Map<string, Promise<EmailArtifact>>
}

/** The modules that render and check: loaded on first need, so the list of documents does not wait for MJML, Eleventy and the checks. */
interface Renderer {
  renderDoc: typeof ProjectPipeline.renderDoc
  createChecker: typeof CheckChecker.createChecker
  renderDocPage: typeof SiteBuildSite.renderDocPage
}
let renderer: Promise<Renderer> | undefined

function loadRenderer(): Promise<Renderer> {
  return (renderer ??= Promise.all([import('../project/pipeline.ts'), import('../check/checker.ts'), import('../site/build-site.ts')]).then(
    ([pipeline, checker, site]) => ({ renderDoc: pipeline.renderDoc, createChecker: checker.createChecker, renderDocPage: site.renderDocPage }),
  ))
}

/**
 * The preview's view of a project, kept up to date by `refresh()`. The project model reads and parses; this keeps one
 * rendering per document version, made at most once and only when asked for; a settings, glossary, layout or page-set
 * change drops every rendering.
 */
export class PreviewState {
  readonly contentDir: string
  readonly layoutsDir: string
  private project?: Project
  private entries = new Map<string, Entry>()
  /** The checks for the current settings, glossary and page set, made when a document is first rendered. */
  private checker?: Promise<Checker>
  private queue: Promise<unknown> = Promise.resolve()

  constructor(readonly root: string) {
    this.contentDir = join(root, defaults.contentDir)
    this.layoutsDir = join(root, defaults.layoutsDir)
  }

  /** Re-read the project; re-parse and re-render what changed. Calls run one at a time. */
  refresh(): Promise<Change> {
    const next = this.queue.then(() => this.rescan())
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Every document, issues then notices, newest first. */
  list(): DocSummary[] {
    return [...this.entries.values()]
      .sort((a, b) => kindOf(a).localeCompare(kindOf(b)) || b.source.source.slug.localeCompare(a.source.source.slug))
      .map((entry) => this.summarize(entry, this.messages(entry)))
  }

  /** One document with its rendering, or undefined when no such document is loaded. */
  async view(key: string): Promise<DocPreview | undefined> {
    await this.queue
    const entry = this.entries.get(key)
    if (!entry) return undefined
    const rendered = this.renderable(entry) ? await (entry.render ??= this.render(entry)) : undefined
    const messages = this.messages(entry)
    return {
      ...this.summarize(entry, messages),
      messages,
      parts: rendered?.parts,
      email: rendered?.email,
      archive: rendered?.archive,
      sources: await this.sources(entry, messages),
    }
  }

  /**
   * Render and check every document not rendered yet, one at a time, letting requests in between; resolves to the
   * keys rendered. Stops early when `signal` aborts.
   */
  async renderRest(signal: AbortSignal): Promise<string[]> {
    const rendered: string[] = []
    for (const entry of this.entries.values()) {
      if (signal.aborted) break
      if (entry.render || this.entries.get(entry.key) !== entry || !this.renderable(entry)) continue
      await (entry.render ??= this.render(entry))
      rendered.push(entry.key)
      await new Promise((resolve) => setImmediate(resolve))
    }
    return rendered.sort()
  }

  /**
   * One department's edition of a document (no department: the general edition), rendered as `send` renders it, once
   * per version of the document; undefined when the document cannot be rendered.
   */
  async edition(key: string, department: Department | undefined): Promise<EmailArtifact | undefined> {
    await this.queue
    const entry = this.entries.get(key)
    if (!entry || !this.renderable(entry)) return undefined
    const rendered = await (entry.render ??= this.render(entry))
    if (!rendered.parts) return undefined
    const { config, layouts } = this.project as Required<Pick<Project, 'config' | 'layouts'>>
    const id = department?.id ?? ''
    let email = rendered.editions.get(id)
    if (!email) {
      email = buildEmail(editionOf(rendered.parts, department), config.settings, layouts)
      rendered.editions.set(id, email)
    }
    return email
  }

  /** The departments as last read: undefined without content/departments.yml (one edition for everyone) or while it has errors. */
  get departments(): Departments | undefined {
    return this.project?.departments.departments
  }

  /** The settings as last read, or undefined while the settings file has errors. */
  get settings(): Settings | undefined {
    return this.project?.config?.settings
  }

  /** The files the messages point at, read as they are now; the document's own text is the version that was parsed. */
  private async sources(entry: Entry, messages: readonly JsonMessage[]): Promise<Record<string, SourceFile>> {
    const sources: Record<string, SourceFile> = {}
    for (const path of new Set(messages.map((message) => message.file))) {
      const abs = resolve(this.root, path)
      // Messages only name files of this project; anything else is not shown.
      if (relative(this.root, abs).startsWith('..')) continue
      const text = abs === entry.source.source.abs ? entry.source.text : await readFile(abs, 'utf8').catch(() => undefined)
      if (text !== undefined) sources[path] = { abs, lines: normalizeNewlines(text).split('\n') }
    }
    return sources
  }

  private messages(entry: Entry): JsonMessage[] {
    const project = this.project!
    const path = entry.source.source.path
    const crossFile = project.crossFile.filter((file) => file.path === path)
    return collectMessages([
      project.settingsFile,
      project.glossary.file,
      project.layoutsFile,
      entry.source.loaded.file,
      ...crossFile,
      ...(entry.rendered?.files ?? []),
    ])
  }

  private summarize(entry: Entry, messages: JsonMessage[]): DocSummary {
    const { source } = entry.source
    const doc = entry.source.loaded.doc
    const meta = doc?.meta
    const errors = messages.filter((message) => message.severity === 'error').length
    return {
      key: entry.key,
      kind: source.kind,
      slug: source.slug,
      path: source.path,
      title: meta?.title ?? source.slug,
      status: meta?.status,
      date: meta?.date,
      approval: doc && approvalOf(doc),
      errors,
      warnings: messages.length - errors,
      checked: entry.rendered !== undefined || !this.renderable(entry),
    }
  }

  private async rescan(): Promise<Change> {
    const before = this.project
    const project = await loadProject(this.root, { previous: before })
    this.project = project
    // Link checks look at the set of pages, and jargon checks at the glossary: either change touches every document.
    const all = before !== undefined && (before.contextHash !== project.contextHash || !sameSet(before.pages, project.pages))
    if (all) this.checker = undefined
    const changed = new Set<string>()
    const crossBefore = new Map((before?.crossFile ?? []).map((file) => [file.path, file.messages.map(String).join('\n')]))
    const crossNow = new Map(project.crossFile.map((file) => [file.path, file.messages.map(String).join('\n')]))
    const entries = new Map<string, Entry>()
    for (const source of project.sources) {
      const key = addressOf(source.source).id
      const old = this.entries.get(key)
      const path = source.source.path
      // A project slip is measured against the issue before: a change there is a change here.
      const same =
        old?.source === source &&
        crossBefore.get(path) === crossNow.get(path) &&
        JSON.stringify(before?.previousProjects.get(path)) === JSON.stringify(project.previousProjects.get(path))
      entries.set(key, same && !all ? old : { key, source })
      if (!same) changed.add(key)
    }
    for (const key of this.entries.keys()) if (!entries.has(key)) changed.add(key)
    this.entries = entries
    // The documents that changed are rendered before the change is announced, so a reload finds them ready. The first
    // scan renders none: the list comes first, and `renderRest` fills it in.
    if (!all && before)
      await Promise.all(
        [...changed].map((key) => this.entries.get(key)).map((entry) => entry && this.renderable(entry) && (entry.render ??= this.render(entry))),
      )
    return { all, keys: [...changed].sort() }
  }

  private renderable(entry: Entry): boolean {
    return Boolean(entry.source.loaded.doc && this.project?.config && this.project.layouts)
  }

  private async render(entry: Entry): Promise<Rendered> {
    const rendered = await this.renderDoc(entry.source.loaded.doc!)
    if (this.entries.get(entry.key) === entry) entry.rendered = rendered
    return rendered
  }

  private async renderDoc(doc: Doc): Promise<Rendered> {
    const project = this.project as Project & Required<Pick<Project, 'config' | 'layouts' | 'departments'>>
    const { config, layouts, departments } = project
    const { renderDoc, renderDocPage } = await loadRenderer()
    const checker = await (this.checker ??= this.createChecker(project, config))
    let rendered: { parts: RenderedDoc; email: EmailArtifact; findings: VFile }
    try {
      rendered = await renderDoc(doc, config, layouts, checker, undefined, project.figures)
    } catch (error) {
      return { files: [this.failure(doc.path, error, 'The email could not be rendered', 'layout/mjml')], editions: new Map() }
    }
    const { parts, email, findings } = rendered
    try {
      return { parts, email, archive: await renderDocPage(parts, config, departments.departments), files: [findings], editions: new Map() }
    } catch (error) {
      return {
        parts,
        email,
        files: [findings, this.failure(doc.path, error, 'The archive page could not be rendered', 'layout/site')],
        editions: new Map(),
      }
    }
  }

  private async createChecker(project: Project, config: Config): Promise<Checker> {
    const { createChecker } = await loadRenderer()
    return createChecker(config, {
      glossary: project.glossary.glossary,
      pages: project.pages,
      previousIssue: (path) => this.project?.previousProjects.get(path),
      previousAnswers: previousAnswers(project),
    })
  }

  /** A rendering error as a message: at its layout line when known, else at the top of the document. */
  private failure(docPath: string, error: unknown, what: string, layoutRule: string): VFile {
    const where =
      error instanceof NewsletterError && error.where ? { ...error.where, file: relative(this.root, resolve(this.root, error.where.file)) } : undefined
    const file = new VFile({ path: where?.file ?? docPath })
    const message = error instanceof Error ? error.message : String(error)
    report(
      file,
      'error',
      where ? `${message} (while rendering ${docPath})` : `${what}: ${message}`,
      where ? layoutRule : 'preview/render',
      where ?? { line: 1, column: 1 },
      error instanceof NewsletterError ? error.hint : undefined,
    )
    return file
  }
}

function kindOf(entry: Entry): string {
  return entry.source.source.kind
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((item) => b.has(item))
}
