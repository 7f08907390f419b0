import type { VFile } from 'vfile'
import { parseDocument, type Document } from 'yaml'
import { report } from '../errors.ts'
import { controlIn, findControlCharacters } from './control.ts'
import { createLocator } from './position.ts'
import { validateNode, type Infer, type Spec } from './schema.ts'

/** What a YAML text is read as: front matter, the settings file, the glossary or the departments (the first part of each rule id). */
export type YamlArea = 'front-matter' | 'settings' | 'glossary' | 'departments' | 'feedback'

/** A YAML text read and validated: the plain value and where each value sits, as 1-based positions. */
export interface YamlRead<T = unknown> {
  /** False when the schema found problems (reported on the file): `value` then holds only the valid parts. */
  valid: boolean
  value: T
  /** The parsed YAML, for what the schema does not cover (the approval digest reads every value). */
  document: Document
  /** Where a value sits in the file, by dotted path (`patches.0.restart`). */
  where(path: string): { line: number; column: number } | undefined
}

/**
 * The one YAML reader: parse `source` (which starts at `offset` in the file's text), validate it against `spec`,
 * and report the first syntax error or every schema problem on `file` at its line and column. Returns nothing on a
 * syntax error. `spec` may be a function of the parsed document (the glossary's keys are the user's terms).
 */
export function readYaml<S extends Spec>(file: VFile, text: string, source: string, offset: number, spec: S | ((document: Document) => S), area: YamlArea): YamlRead<Infer<S>> | undefined {
  const locate = createLocator(text)
  const controls = findControlCharacters(text, offset, offset + source.length)
  for (const { place, name } of controls) {
    report(file, 'error', `A control character (${name}) is in the file: it would reach readers and the terminal`, `${area}/control-character`, place, 'Delete it: it is invisible in most editors')
  }
  if (controls.length > 0) return undefined
  const document = parseDocument(source, { prettyErrors: false, uniqueKeys: true })
  // Only the first syntax error: the ones after it are usually the same mistake seen again.
  const [syntax] = document.errors
  if (syntax) {
    report(file, 'error', `YAML: ${firstLine(syntax.message)}`, `${area}/yaml`, locate(offset + syntax.pos[0]), yamlHint(syntax.code))
    return undefined
  }
  const { value, findings, offsets } = validateNode(document.contents, typeof spec === 'function' ? spec(document) : spec, 0, area)
  for (const finding of findings) report(file, 'error', finding.reason, finding.rule, locate(offset + finding.offset), finding.hint)
  // A YAML escape (`"\e"`, `"\x01"`) puts a control character in a value that the file's text does not show.
  const escaped = stringsOf(value).flatMap(([path, text]) => {
    const name = controlIn(text)
    return name ? [{ path, name }] : []
  })
  for (const { path, name } of escaped) {
    const at = offsets.get(path)
    report(file, 'error', `\`${path}\` holds a control character (${name}), written as a YAML escape`, area === 'front-matter' ? 'content/control-character' : `${area}/control-character`, locate(offset + (at ?? 0)), 'Remove the escape: values are plain text')
  }
  return {
    valid: findings.length === 0 && escaped.length === 0,
    // The one place a validated value takes its type: the walk above checked it against the same spec.
    value: value as Infer<S>,
    document,
    where(path) {
      const at = offsets.get(path)
      return at === undefined ? undefined : locate(offset + at)
    },
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}

function yamlHint(code: string): string {
  if (code === 'TAB_AS_INDENT') return 'Indent with spaces: YAML does not allow tabs at the start of a line'
  if (code === 'DUPLICATE_KEY') return 'Each key may appear once: remove or merge the repeated one'
  return 'Check the indentation and quoting here; values containing `: ` or `#` need quotes'
}

/** Every string in a value, with its dotted path (`updates.0.text`). */
function stringsOf(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]]
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringsOf(item, path ? `${path}.${key}` : key))
  return []
}
