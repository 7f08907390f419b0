import type { Root, RootContent } from 'mdast'
import type { Node } from 'unist'
import { visit } from 'unist-util-visit'
import type { Doc } from '../content/types.ts'
import type { Position } from '../errors.ts'
import { parseMarkdown, parsePlainLine } from '../markdown/parse.ts'

/** A piece of prose to check: the body (positions are file positions) or the front-matter fields (mapped back to the file). */
export interface Segment {
  tree: Root
  /** The text `tree` was parsed from; its positions index into it. */
  text: string
  /** For front-matter prose: turns a position in `text` into one in the .md file. */
  map?: (point: Position) => Position | undefined
  /** The lines of `text` that are a title or a name (an issue's title, a threat's name, a patch's title, a project's
   * name): too short to explain a term or spell out an acronym, so the first use that counts comes after them. */
  headingLines?: ReadonlySet<number>
}

/** Every piece of prose in a document in the order the email shows it: front-matter fields first, then the body. */
export function docSegments(doc: Doc): Segment[] {
  const { meta } = doc
  const fields: [string, string | undefined, 'heading'?][] = [
    ['title', meta.title, 'heading'],
    ['summary', meta.summary],
  ]
  if (meta.kind === 'issue') {
    if (meta.threat) {
      fields.push(['threat.name', meta.threat.name, 'heading'], ['threat.summary', meta.threat.summary])
      meta.threat.signs.forEach((sign, i) => fields.push([`threat.signs.${i}`, sign]))
      meta.threat.actions.forEach((action, i) => fields.push([`threat.actions.${i}`, action]))
    }
    meta.patches.forEach((patch, i) => fields.push([`patches.${i}.title`, patch.title, 'heading'], [`patches.${i}.action`, patch.action]))
    if (meta.top_question) fields.push(['top_question.question', meta.top_question.question], ['top_question.answer', meta.top_question.answer])
    meta.projects.forEach((project, i) => fields.push([`projects.${i}.name`, project.name, 'heading'], [`projects.${i}.summary`, project.summary]))
    meta.incidents.forEach((incident, i) => {
      fields.push(
        [`incidents.${i}.service`, incident.service],
        [`incidents.${i}.impact`, incident.impact],
        [`incidents.${i}.cause`, incident.cause],
        [`incidents.${i}.fix`, incident.fix],
      )
    })
  } else {
    fields.push(['service', meta.service], ['impact', meta.impact], ['workaround', meta.workaround])
    meta.updates.forEach((update, i) => fields.push([`updates.${i}.text`, update.text]))
  }
  const source = String(doc.file.value ?? '')
  const lines = source.split('\n')
  const present = fields.flatMap(([path, text, heading]) => {
    if (text === undefined) return []
    const at = doc.where(path)
    return [{ text, map: at ? valueMapper(lines, at, text) : () => undefined, heading: heading === 'heading' }]
  })
  return [...frontMatterSegments(present), { tree: doc.body, text: source }]
}

const split = '<!-- newsletter:next-field -->'

/**
 * The front-matter fields as one segment, in reading order: their text joined by a comment line, and a map that
 * sends each line back to its field. A line of plain text becomes its paragraph directly; the other fields are parsed
 * together, once (each parse has a fixed cost that outweighs a short field), and their nodes moved to their place.
 * A field that swallows the comment (an unclosed fence) changes the count, and then each field is parsed on its own.
 */
function frontMatterSegments(fields: readonly { text: string; map: NonNullable<Segment['map']>; heading: boolean }[]): Segment[] {
  if (fields.length === 0) return []
  const separator = `\n\n${split}\n\n`
  const text = fields.map((field) => field.text).join(separator)
  const starts = fieldStarts(
    fields.map((field) => field.text),
    separator,
  )
  const plain = fields.map((field) => parsePlainLine(field.text))
  const rich = fields.flatMap((field, k) => (plain[k] ? [] : [k]))
  const richText = rich.map((k) => fields[k]!.text)
  const groups = groupsOf(richText.length > 0 ? parseMarkdown(richText.join(separator)).children : [])
  if (groups.length !== rich.length && rich.length > 0)
    return fields.map((field, k) => ({
      tree: plain[k] ?? parseMarkdown(field.text),
      text: field.text,
      map: field.map,
      headingLines: field.heading ? linesOf(1, field.text) : undefined,
    }))
  const richStarts = fieldStarts(richText, separator)
  const children: RootContent[] = []
  fields.forEach((_, k) => {
    const j = rich.indexOf(k)
    const nodes = j >= 0 ? groups[j]! : plain[k]!.children
    const from = j >= 0 ? richStarts[j]! : { line: 1, offset: 0 }
    for (const node of nodes) visit(node, (child) => shift(child, starts[k]!.line - from.line, starts[k]!.offset - from.offset))
    children.push(...nodes)
  })
  const lines = text.split('\n')
  const tree: Root = {
    type: 'root',
    children,
    position: { start: { line: 1, column: 1, offset: 0 }, end: { line: lines.length, column: lines[lines.length - 1]!.length + 1, offset: text.length } },
  }
  const map = (point: Position) => {
    let k = starts.length - 1
    while (k > 0 && starts[k]!.line > point.line) k -= 1
    return fields[k]!.map({ line: point.line - starts[k]!.line + 1, column: point.column })
  }
  const headingLines = new Set(fields.flatMap((field, k) => (field.heading ? [...linesOf(starts[k]!.line, field.text)] : [])))
  return [{ tree, text, map, headingLines }]
}

function linesOf(first: number, text: string): Set<number> {
  return new Set(text.split('\n').map((_, k) => first + k))
}

function fieldStarts(texts: readonly string[], separator: string): { line: number; offset: number }[] {
  const starts: { line: number; offset: number }[] = []
  let line = 1
  let offset = 0
  for (const text of texts) {
    starts.push({ line, offset })
    line += text.split('\n').length - 1 + separator.split('\n').length - 1
    offset += text.length + separator.length
  }
  return starts
}

function groupsOf(children: readonly RootContent[]): RootContent[][] {
  if (children.length === 0) return []
  const groups: RootContent[][] = [[]]
  for (const node of children) {
    if (node.type === 'html' && node.value === split) groups.push([])
    else groups[groups.length - 1]!.push(node)
  }
  return groups
}

function shift(node: Node, lines: number, offset: number): void {
  const { position } = node
  if (!position) return
  for (const point of [position.start, position.end]) {
    point.line += lines
    if (point.offset !== undefined) point.offset += offset
  }
}

/** Where a node is in the .md file. */
export function placeOf(segment: Segment, node: Node): Position | undefined {
  const start = node.position?.start
  return start && placeAt(segment, start)
}

/** A position in a segment's text, as a position in the .md file. */
export function placeAt(segment: Segment, point: Position): Position | undefined {
  const place = { line: point.line, column: point.column }
  return segment.map ? segment.map(place) : place
}

/**
 * Maps positions in a front-matter value to the file: exact for plain and quoted one-line values and `|` blocks,
 * whose text is the source text; otherwise (folded `>` blocks, escapes) the start of the value.
 */
function valueMapper(lines: readonly string[], at: Position, value: string): (point: Position) => Position {
  const first = lines[at.line - 1]?.slice(at.column - 1) ?? ''
  const fallback = () => at
  if (/^\|[+-]?\s*$/.test(first)) {
    const indent = /^ */.exec(lines[at.line] ?? '')![0].length
    const valueLines = value.replace(/\n$/, '').split('\n')
    const same = valueLines.every((text, k) => (lines[at.line + k] ?? '').slice(indent) === text)
    return same ? (point) => ({ line: at.line + point.line, column: indent + point.column }) : fallback
  }
  if (value.includes('\n')) return fallback
  const quoted = first.startsWith('"') || first.startsWith("'")
  const raw = quoted ? first.slice(1) : first
  if (!raw.startsWith(value) || (quoted && raw[value.length] !== first[0])) return fallback
  const offset = quoted ? 1 : 0
  return (point) => ({ line: at.line, column: at.column + offset + point.column - 1 })
}
