import { readdir, readFile } from 'node:fs/promises'
import { basename, join, relative } from 'node:path'
import { VFile } from 'vfile'
import { loadGlossary, type Glossary } from '../check/glossary.ts'
import { defaults, loadConfig, type Config } from '../config.ts'
import { addressOf } from '../content/address.ts'
import { checkAudiences } from '../content/audience.ts'
import { departmentsFile, loadDepartments, type Departments } from '../content/departments.ts'
import { approvedFigures, type IssueFigures } from '../content/figures.ts'
import { answersOf, feedbackDir, loadFeedback, type FeedbackResults } from '../content/feedback.ts'
import type { PreviousAnswers } from '../check/you-told-us-rule.ts'
import { checkIssueNumbers, listSources, loadSource, parseDoc, peekIssue, type IssueNumber, type LoadedSource, type Source } from '../content/load.ts'
import { previousIssues, type IssueProjects, type PreviousIssue } from '../content/project-history.ts'
import type { Doc } from '../content/types.ts'
import { loadLayouts, type Layouts } from '../email/layout.ts'
import { decodeText } from '../content/decode.ts'
import { report } from '../errors.ts'
import { codeVersion, hashOf, readTree } from './cache.ts'

/**
 * Everything a command knows about a project, read once: settings, glossary, email layouts and the content files.
 * `build`, `check`, `preview` and `send` all see the content through this, and nothing in it is changed after loading.
 */
export interface Project {
  root: string
  /** Where things are and the validated settings; undefined when the settings file has errors. */
  config?: Config
  settingsFile: VFile
  glossary: { file: VFile; glossary?: Glossary }
  /** `content/departments.yml`: undefined `departments` when the file is missing (one edition for everyone) or has errors. */
  departments: { file: VFile; departments?: Departments }
  layoutsFile: VFile
  layouts?: Layouts
  /** `content/feedback/*.yml`: what readers answered to each issue's feedback buttons. */
  feedback: FeedbackResults
  /** Every issue's number and slug, acted on or not. */
  issues: { slug: string; number: number }[]
  /** The content files this project acts on (all of them unless `only` said otherwise), sorted by path. */
  sources: LoadedSource[]
  /** True when every content file was loaded (no `only`): caches may then drop what this project no longer has. */
  complete: boolean
  /** Addresses of every issue and notice, acted on or not (`issues/2026-11`): what links may point to. */
  pages: Set<string>
  /** For each issue's path, the issue numbered before it (acted on or only peeked at): what `sense/project-slip` compares with. */
  previousProjects: Map<string, PreviousIssue>
  /** Findings of the cross-file rules (unique issue numbers, department ids), kept apart from the documents' own. */
  crossFile: VFile[]
  /** Unique issue numbers, checked on every issue (acted on or not); those acted on are also in `crossFile`. */
  numberChecks: VFile[]
  /** Everything but the documents that shapes a rendering or a check: settings, glossary, email and site layouts. */
  contextHash: string
  /** The figures of every approved issue, acted on or not: what an issue's numbers are compared with. */
  figures: IssueFigures[]
}

/** How much of a project to load. */
export interface ProjectOptions {
  /** Where built files go (default: `<root>/dist`). */
  outDir?: string
  /** Load and validate only these content files; the others are only listed (and peeked at for cross-file rules). */
  only?: (source: Source) => boolean
  /** A project loaded earlier: files whose text is unchanged keep their parse. */
  previous?: Project
  /** What is already known of a file not acted on (kept from an earlier run for its exact text): it is then not read. */
  known?: (source: Source) => Peeked | undefined
}

/** What a project needs of an issue besides acting on it: its number, its projects and, when approved, its figures. */
export interface Peeked {
  number?: IssueNumber
  projects?: IssueProjects
  figures?: IssueFigures
}

/** Read a project from its root folder. Never throws for bad content: every problem is a message on a file. */
export async function loadProject(root: string, options: ProjectOptions = {}): Promise<Project> {
  const { file: settingsFile, config } = await loadConfig({ root, outDir: options.outDir })
  const contentDir = config?.contentDir ?? join(root, defaults.contentDir)
  const layoutsDir = config?.layoutsDir ?? join(root, defaults.layoutsDir)
  const [glossary, departmentsRead, layoutsRead, siteLayouts, listed, feedback] = await Promise.all([
    loadGlossary(join(contentDir, 'glossary.yml'), relative(root, join(contentDir, 'glossary.yml'))),
    loadDepartments(join(contentDir, departmentsFile), relative(root, join(contentDir, departmentsFile))),
    readLayouts(layoutsDir, root),
    readTree(join(layoutsDir, 'site')),
    listSources(contentDir, root),
    loadFeedback(contentDir, root),
  ])
  const previous = new Map(options.previous?.sources.map((entry) => [entry.source.path, entry]))
  const acted = listed.filter((source) => options.only?.(source) ?? true)
  const sources = await Promise.all(acted.map((source) => loadSource(source, previous.get(source.path))))
  const others = await Promise.all(listed.filter((source) => !acted.includes(source)).map((source) => options.known?.(source) ?? peek(source)))
  const peeked = [...sources.map(peekedOf), ...others]
  const numbers = peeked.flatMap((entry) => (entry?.number ? [entry.number] : []))
  const projectsByIssue = peeked.flatMap((entry) => (entry?.projects ? [entry.projects] : []))
  const figures = peeked.flatMap((entry) => (entry?.figures ? [entry.figures] : []))
  const emailLayouts = layoutsRead.layouts?.sources ?? {}
  const contextHash = hashOf(
    String(settingsFile.value ?? ''),
    String(glossary.file.value ?? ''),
    departmentsRead.text ?? '',
    ...Object.keys(emailLayouts)
      .sort()
      .flatMap((name) => [name, emailLayouts[name]!]),
    ...siteLayouts.flatMap(([name, text]) => [`site/${name}`, text]),
    ...feedback.texts,
  )
  const departments = { file: departmentsRead.file, departments: departmentsRead.departments }
  const numberChecks = checkIssueNumbers(numbers)
  // A broken departments file is reported once, on itself, not as an unknown id in every document.
  const audiences =
    departmentsRead.file.messages.length > 0 ? [] : sources.flatMap(({ loaded }) => (loaded.doc ? [checkAudiences(loaded.doc, departments.departments)] : []))
  return {
    root,
    config,
    settingsFile,
    glossary,
    departments,
    layoutsFile: layoutsRead.file,
    layouts: layoutsRead.layouts,
    feedback,
    issues: numbers.map(({ path, number }) => ({ slug: basename(path, '.md'), number })),
    sources,
    complete: acted.length === listed.length,
    pages: new Set(listed.map((source) => addressOf(source).id)),
    previousProjects: previousIssues(projectsByIssue),
    crossFile: [
      ...numberChecks.filter((file) => sources.some(({ source }) => source.path === file.path)),
      ...audiences.filter((file): file is VFile => file !== undefined),
    ],
    numberChecks,
    contextHash,
    figures,
  }
}

/**
 * A fingerprint of every input file of a project (settings, glossary, layouts, content), read as bytes without parsing
 * anything: equal fingerprints mean a build would produce exactly what it produced before.
 */
export async function inputsFingerprint(root: string): Promise<string> {
  const contentDir = join(root, defaults.contentDir)
  const layoutsDir = join(root, defaults.layoutsDir)
  const files = [join(root, defaults.settingsFile), join(contentDir, 'glossary.yml'), join(contentDir, departmentsFile)]
  const layouts = (await readdir(layoutsDir, { recursive: true }).catch(() => [] as string[])).sort().map((name) => join(layoutsDir, name))
  const feedback = (await readdir(join(contentDir, feedbackDir)).catch(() => [] as string[])).sort().map((name) => join(contentDir, feedbackDir, name))
  const sources = (await listSources(contentDir, root)).map((source) => source.abs)
  const texts = await Promise.all(
    [...files, ...layouts, ...feedback, ...sources].map(async (path) => [path, await readFile(path, 'latin1').catch(() => '\0missing')]),
  )
  return hashOf(await codeVersion(), ...texts.flat())
}

/** The issue before `issue` (the highest number below it) and how many answered its feedback buttons. */
export function previousAnswers(project: Project): PreviousAnswers {
  return (issue) => {
    const previous = project.issues.filter((entry) => entry.number < issue).sort((a, b) => b.number - a.number)[0]
    if (!previous) return undefined
    const counts = project.feedback.bySlug.get(previous.slug)
    return { number: previous.number, answers: counts ? answersOf(counts) : 0 }
  }
}

/** The documents that loaded without errors, in path order. */
export function projectDocs(project: Project): Doc[] {
  return project.sources.flatMap(({ loaded }) => (loaded.doc ? [loaded.doc] : []))
}

/** Every file with messages from loading: settings, glossary, departments, layouts, each content file and the cross-file rules. */
export function loadingFiles(project: Project): VFile[] {
  return [
    project.settingsFile,
    project.glossary.file,
    project.departments.file,
    project.layoutsFile,
    ...project.feedback.files,
    ...project.sources.map(({ loaded }) => loaded.file),
    ...project.crossFile,
  ]
}

/** What the project needs of a file it acts on, from its parse. */
export function peekedOf({ loaded, text }: LoadedSource): Peeked | undefined {
  const doc = loaded.doc
  if (doc?.meta.kind !== 'issue') return undefined
  return {
    number: { path: doc.path, number: doc.meta.issue, place: doc.where('issue') },
    projects: { path: doc.path, slug: doc.slug, number: doc.meta.issue, projects: doc.meta.projects },
    figures: (text !== undefined && approvedFigures(doc, text)) || undefined,
  }
}

/** What the project needs of an issue it does not act on: its number and projects (read even when the rest is invalid) and, when approved, its figures. */
async function peek(source: Source): Promise<Peeked | undefined> {
  if (source.kind !== 'issue') return undefined
  const bytes = await readFile(source.abs).catch(() => undefined)
  if (!bytes) return undefined
  const text = decodeText(bytes).text
  const { number, projects } = peekIssue(text)
  // Only an issue that may hold figures (`numbers:`, a top question's `category:`) is parsed in full: the others are
  // peeked at, however large or broken they are.
  const doc = /^numbers:|^\s+category:/m.test(text) ? parseDoc(source.path, text, 'issue').doc : undefined
  return {
    number: number === undefined ? undefined : { path: source.path, number },
    projects: number === undefined || !projects ? undefined : { path: source.path, slug: source.slug, number, projects },
    figures: doc && approvedFigures(doc, text),
  }
}

async function readLayouts(layoutsDir: string, root: string): Promise<{ file: VFile; layouts?: Layouts }> {
  const dir = join(layoutsDir, 'email')
  try {
    return { file: new VFile(), layouts: await loadLayouts(dir, root) }
  } catch (error) {
    const file = new VFile({ path: relative(root, dir) || dir })
    report(
      file,
      'error',
      `The email layouts could not be read: ${(error as Error).message}`,
      'layout/missing',
      { line: 1, column: 1 },
      'Restore layouts/email/ (issue.mjml, notice.mjml and the files they include)',
    )
    return { file }
  }
}
