import { readdir, readFile } from 'node:fs/promises'
import { basename, join, relative } from 'node:path'
import matter from 'gray-matter'
import type { Root } from 'mdast'
import { VFile } from 'vfile'
import { parseDocument } from 'yaml'
import { report } from '../errors.ts'
import { parseMarkdown } from '../markdown/parse.ts'
import { issueFields, noticeFields } from './fields.ts'
import { createLocator } from './position.ts'
import { validateNode } from './schema.ts'
import type { Doc, IssueMeta, NoticeMeta } from './types.ts'

export type Kind = 'issue' | 'notice'

/** A loaded file: its messages always, its document only when the front matter is valid. */
export interface Loaded {
  file: VFile
  doc?: Doc
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
  const locate = createLocator(text)
  let split: matter.GrayMatterFile<string>
  try {
    // gray-matter evaluates `---js` front matter with eval(): every engine but YAML is refused before it runs.
    split = matter(text, { engines: { yaml: { parse: () => ({}) }, js: refuse, javascript: refuse, coffee: refuse, json: refuse } })
  } catch (error) {
    const language = /^---[ \t]*(\S*)/.exec(text)?.[1] ?? ''
    report(file, 'error', `Front matter in \`${language}\` is not allowed: only YAML is read, and code in front matter is never run`, 'front-matter/engine', { line: 1, column: 4 }, 'Start the file with a plain `---` line and write the front matter as YAML')
    if (!(error instanceof RefusedEngine) && !/engine/i.test(String(error))) throw error
    return { file }
  }
  if (!/^---/.test(text) || split.matter === '') {
    report(file, 'error', 'The file has no front matter', 'front-matter/missing', { line: 1, column: 1 }, 'Start the file with a `---` line, the YAML fields, and another `---` line')
    return { file }
  }
  const yamlStart = text.indexOf(split.matter, 3)
  const bodyStart = text.indexOf('\n', yamlStart + split.matter.length + 1) + 1 || text.length
  const yaml = parseDocument(split.matter, { prettyErrors: false, uniqueKeys: true })
  // Only the first YAML syntax error: the ones after it are usually the same mistake seen again.
  const [syntax] = yaml.errors
  if (syntax) {
    report(file, 'error', `YAML: ${firstLine(syntax.message)}`, 'front-matter/yaml', locate(yamlStart + syntax.pos[0]), 'Check the indentation and quoting here; values containing `: ` or `#` need quotes')
    return { file }
  }

  const fields = kind === 'issue' ? issueFields : noticeFields
  const { value, findings, offsets } = validateNode(yaml.contents, { kind: 'object', fields }, 0)
  for (const finding of findings) report(file, 'error', finding.reason, finding.rule, locate(yamlStart + finding.offset), finding.hint)
  if (findings.length > 0) return { file }

  // Blank the front matter character for character, so body lines, columns and offsets are those of the
  // .md file (remark-retext slices the file's text by these offsets).
  const body: Root = parseMarkdown(text.slice(0, bodyStart).replace(/[^\n]/g, ' ') + text.slice(bodyStart))
  const where = (path: string) => {
    const offset = offsets.get(path)
    return offset === undefined ? undefined : locate(yamlStart + offset)
  }
  const meta = withDefaults(kind, value as Record<string, unknown>)
  return { file, doc: { slug: basename(path, '.md'), path, meta, body, file, where } }
}

function withDefaults(kind: Kind, data: Record<string, unknown>): IssueMeta | NoticeMeta {
  if (kind === 'notice') return { status: 'draft', updates: [], ...data, kind } as unknown as NoticeMeta
  const meta = { status: 'draft', tags: [], patches: [], projects: [], incidents: [], ...data, kind } as unknown as IssueMeta
  for (const patch of meta.patches) patch.cves ??= []
  if (meta.threat) {
    meta.threat.signs ??= []
    meta.threat.actions ??= []
  }
  return meta
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}

/** Everything under a content folder, each file with its messages; cross-file rules (unique issue numbers) applied. */
export async function loadContent(contentDir: string, cwd = process.cwd()): Promise<Loaded[]> {
  const loaded: Loaded[] = []
  for (const [folder, kind] of [['issues', 'issue'], ['notices', 'notice']] as const) {
    const dir = join(contentDir, folder)
    const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.md')).sort()
    for (const name of names) {
      const path = join(dir, name)
      loaded.push(parseDoc(relative(cwd, path), await readFile(path, 'utf8'), kind))
    }
  }
  checkIssueNumbers(loaded)
  return loaded
}

/** `issue` numbers must be unique: the later file (by name) gets the error. */
export function checkIssueNumbers(loaded: readonly Loaded[]): void {
  const seen = new Map<number, string>()
  for (const { doc } of loaded) {
    if (doc?.meta.kind !== 'issue') continue
    const other = seen.get(doc.meta.issue)
    if (other) {
      report(doc.file, 'error', `Issue number ${doc.meta.issue} is already used by ${other}`, 'front-matter/issue', doc.where('issue'), `Use the next free number`)
    } else {
      seen.set(doc.meta.issue, doc.path)
    }
  }
}
