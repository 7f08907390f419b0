import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, join, relative } from 'node:path'
import matter from 'gray-matter'
import type { Root } from 'mdast'
import type { Point } from 'unist'
import { VFile } from 'vfile'
import { parseDocument, type Node } from 'yaml'
import { report, type Position } from '../errors.ts'
import { parseMarkdownAt } from '../markdown/parse.ts'
import { issueFields, noticeFields } from './fields.ts'
import { contentOf, digestOf, splitContent } from './approval.ts'
import { changedSince } from './approved-view.ts'
import { findControlCharacters } from './control.ts'
import { findFrontMatter } from './front-matter.ts'
import { findLimitProblem } from './limits.ts'
import { findNoticeProblems } from './notice-rules.ts'
import { validateNode, type InferFields } from './schema.ts'
import { decodeText } from './decode.ts'
import type { Doc, IssueMeta, NoticeMeta, ProjectEntry } from './types.ts'
import { readYaml } from './yaml.ts'

export type Kind = 'issue' | 'notice'

/** A loaded file: its messages always, its document only when the front matter is valid. */
export interface Loaded {
  file: VFile
  doc?: Doc
  /** The body, when the front matter has errors but the file could be split: its writing can still be checked. */
  body?: Root
}

class RefusedEngine extends Error {}
const refuse = {
  parse(): never {
    throw new RefusedEngine()
  },
}

/** Parse and validate one issue or notice from its text. Never throws for bad content: problems go on `file`. */
export function parseDoc(path: string, text: string, kind: Kind): Loaded {
  const file = new VFile({ path, value: text })
  const fail = (reason: string, rule: string, place: Position, hint: string): Loaded => {
    report(file, 'error', reason, rule, place, hint)
    return { file }
  }
  const opening = /^---[ \t]*(\S*)[ \t]*$/m.exec(text.slice(0, text.indexOf('\n') + 1 || text.length))
  if (!text.startsWith('---') || !opening) {
    return fail('The file has no front matter', 'front-matter/missing', { line: 1, column: 1 }, 'Start the file with a `---` line, the YAML fields, and another `---` line')
  }
  const language = opening[1]!
  if (language !== '' && language !== 'yaml') {
    return fail(`Front matter in \`${language}\` is not allowed: only YAML is read, and code in front matter is never run`, 'front-matter/engine', { line: 1, column: 4 }, 'Start the file with a plain `---` line and write the front matter as YAML')
  }
  // Without a closing line, the YAML reader would take the body for front matter and drop it silently.
  if (!/\n---[ \t]*(\n|$)/.test(text)) {
    return fail('The front matter is never closed: no `---` line after it', 'front-matter/unclosed', { line: 1, column: 1 }, 'Add a line with just `---` after the last field, before the body')
  }
  let split: matter.GrayMatterFile<string>
  try {
    // gray-matter evaluates `---js` front matter with eval(): every engine but YAML is refused before it runs.
    split = matter(text, { engines: { yaml: { parse: () => ({}) }, js: refuse, javascript: refuse, coffee: refuse, json: refuse } })
  } catch (error) {
    if (!(error instanceof RefusedEngine) && !/engine/i.test(String(error))) throw error
    return fail(`Front matter in \`${language}\` is not allowed: only YAML is read, and code in front matter is never run`, 'front-matter/engine', { line: 1, column: 4 }, 'Start the file with a plain `---` line and write the front matter as YAML')
  }
  if (split.matter.trim() === '') {
    return fail('The front matter is empty', 'front-matter/missing', { line: 1, column: 1 }, 'Write the YAML fields (title, date, summary…) between the two `---` lines')
  }
  const controls = findControlCharacters(text)
  if (controls.length > 0) {
    for (const { place, name } of controls) {
      report(file, 'error', `A control character (${name}) is in the file: readers would get it, and the feed would not be valid XML`, 'content/control-character', place, 'Delete it: it is invisible in most editors (in VS Code, turn on "Render Control Characters")')
    }
    return { file }
  }
  const yamlStart = text.indexOf(split.matter, 3)
  const bodyStart = text.indexOf('\n', yamlStart + split.matter.length + 1) + 1 || text.length
  // Body lines, columns and offsets are those of the .md file (remark-retext slices the file's text by these offsets).
  const body: Root = parseMarkdownAt(text.slice(bodyStart), pointAt(text, bodyStart))
  const limit = findLimitProblem(body)
  if (limit) return fail(limit.reason, 'content/limit', limit.place, limit.hint)
  const issue = kind === 'issue' ? readYaml(file, text, split.matter, yamlStart, { kind: 'object', fields: issueFields }, 'front-matter') : undefined
  const notice = kind === 'notice' ? readYaml(file, text, split.matter, yamlStart, { kind: 'object', fields: noticeFields }, 'front-matter') : undefined
  const read = issue ?? notice
  if (!read?.valid) return { file, body }
  if (notice) {
    const problems = findNoticeProblems(notice.value)
    for (const problem of problems) report(file, 'error', problem.reason, problem.rule, notice.where(problem.path), problem.hint)
    if (problems.length > 0) return { file, body }
  }
  const meta: IssueMeta | NoticeMeta = issue ? { ...issue.value, kind: 'issue' } : noticeMeta(notice!.value)
  // The digest reads the values just parsed, when gray-matter (which ends at any line starting `---`) took the same lines.
  const place = findFrontMatter(text)
  const content = place?.end === yamlStart + split.matter.length + 1 ? contentOf(read.document.toJS(), text.slice(place.bodyStart)) : splitContent(text)
  const doc: Doc = { slug: basename(path, '.md'), path, meta, body, file, digest: digestOf(content.fields, content.body), where: read.where }
  if (meta.approved_digest && doc.digest !== meta.approved_digest) {
    const change = changedSince(doc, text)
    report(file, 'warning', `${change.charAt(0).toUpperCase()}${change.slice(1)}; until it is approved again, \`send\` refuses it and \`build\` publishes only what was approved`, 'approval/changed', read.where('approved_digest'), `Have the change reviewed, then: newsletter approve ${doc.slug} --by "Your Name"`)
  }
  return { file, doc }
}

function pointAt(text: string, offset: number): Point {
  let line = 1
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++
  return { line, column: offset - text.lastIndexOf('\n', offset - 1), offset }
}

/** A notice's front matter as the pipeline reads it: its `kind:` (incident or maintenance) becomes `noticeKind`. */
function noticeMeta(value: InferFields<typeof noticeFields>): NoticeMeta {
  const { kind: noticeKind, ...rest } = value
  return { ...rest, noticeKind, kind: 'notice' }
}

/** The largest content file read (a monthly issue is about 10 KB); a larger one is refused before parsing. */
export const maxFileBytes = 1_000_000

/** A slug becomes a page address and a file name in dist/: lower-case letters, digits and dashes. */
export const slugPattern = /^[a-z0-9][a-z0-9-]*$/

/** A content file found on disk: its kind, slug and where it is (absolute, and as messages name it). */
export interface Source {
  kind: Kind
  slug: string
  abs: string
  /** Relative to the project root, as messages name it. */
  path: string
}

/**
 * Every `*.md` under `issues/` and `notices/`, sorted. Names starting with `.` are skipped: editors keep their
 * lock and backup files there (Emacs' `.#2026-11.md` is a dangling link).
 */
export async function listSources(contentDir: string, root: string): Promise<Source[]> {
  const sources: Source[] = []
  for (const [folder, kind] of [['issues', 'issue'], ['notices', 'notice']] as const) {
    const dir = join(contentDir, folder)
    const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.md') && !name.startsWith('.')).sort()
    for (const name of names) {
      const abs = join(dir, name)
      sources.push({ kind, slug: basename(name, '.md'), abs, path: relative(root, abs) || abs })
    }
  }
  return sources
}

/** A content file as read: its text (undefined when it could not be read) and what loading it gave. */
export interface LoadedSource {
  source: Source
  text?: string
  loaded: Loaded
}

/**
 * Read and parse one content file; anything wrong with the file itself (not a file, too big, a bad name) is an
 * error on it. When the text is the same as `previous`'s, its parse is reused: loaded documents are never changed.
 */
export async function loadSource(source: Source, previous?: LoadedSource): Promise<LoadedSource> {
  const refuse = (reason: string, rule: string, hint: string): LoadedSource => {
    const file = new VFile({ path: source.path })
    report(file, 'error', reason, rule, { line: 1, column: 1 }, hint)
    return { source, loaded: { file } }
  }
  const info = await stat(source.abs).catch(() => undefined)
  if (!info) return refuse('The file cannot be read: it is a link to something that does not exist', 'content/unreadable', 'Remove the link, or point it at an existing file')
  if (!info.isFile()) return refuse('This is a folder, not a file', 'content/unreadable', `Rename the folder so its name does not end in .md`)
  if (!slugPattern.test(source.slug)) {
    return refuse(`The file name \`${basename(source.abs)}\` cannot be a page address: use lower-case letters, digits and dashes`, 'content/file-name', `Rename it to \`${suggestSlug(source.slug)}.md\``)
  }
  if (info.size > maxFileBytes) {
    return refuse(`The file is ${Math.ceil(info.size / 1000).toLocaleString('en')} KB; at most ${(maxFileBytes / 1000).toLocaleString('en')} KB is read`, 'content/too-big', 'Move long material to a linked page or attachment')
  }
  const bytes = await readFile(source.abs).catch(() => undefined)
  if (!bytes) return refuse('The file cannot be read', 'content/unreadable', 'Check that it exists and that you may read it')
  const decoded = decodeText(bytes)
  if (previous?.text === decoded.text && previous.source.path === source.path) return previous
  const loaded = parseDoc(source.path, decoded.text, source.kind)
  if (decoded.guessed) {
    report(loaded.file, 'warning', `The file is not UTF-8; it was read as ${decoded.encoding}`, 'content/encoding', { line: 1, column: 1 }, 'Save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)')
  }
  return { source, text: decoded.text, loaded }
}

/** A file name turned into a valid slug: `Q&A Outage` → `q-a-outage`. */
export function suggestSlug(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'untitled'
}

/** Everything under a content folder, each file with its messages (the cross-file rules are the project's). */
export async function loadContent(contentDir: string, root: string): Promise<Loaded[]> {
  return (await Promise.all((await listSources(contentDir, root)).map((source) => loadSource(source)))).map(({ loaded }) => loaded)
}

/** An issue number as a cross-file rule sees it: which file, and where the number is written. */
export interface IssueNumber {
  path: string
  number: number
  place?: Position
}

/** `issue` numbers must be unique: the later file (by name) gets the error, on a new file of cross-file findings. */
export function checkIssueNumbers(numbers: readonly IssueNumber[]): VFile[] {
  const seen = new Map<number, string>()
  const findings: VFile[] = []
  for (const { path, number, place } of [...numbers].sort((a, b) => a.path.localeCompare(b.path))) {
    const other = seen.get(number)
    if (other === undefined) {
      seen.set(number, path)
      continue
    }
    const file = new VFile({ path })
    report(file, 'error', `Issue number ${number} is already used by ${other}`, 'front-matter/issue', place, 'Use the next free number')
    findings.push(file)
  }
  return findings
}

/**
 * The issue number and projects of a file's front matter, read without validating the rest (for files a command does
 * not act on); projects that do not pass the schema are left out.
 */
export function peekIssue(text: string): { number?: number; projects?: ProjectEntry[] } {
  const place = findFrontMatter(text)
  if (!place) return {}
  const yaml = parseDocument(place.yaml)
  const issue: unknown = yaml.get('issue')
  const node = yaml.get('projects', true) as Node | undefined
  const projects = node === undefined ? { value: [], findings: [] } : validateNode(node, issueFields.projects.spec, 0)
  return { number: Number.isInteger(issue) ? (issue as number) : undefined, projects: projects.findings.length === 0 ? (projects.value as ProjectEntry[]) : undefined }
}
