import type { Root } from 'mdast'
import type { Node } from 'unist'
import type { Doc } from '../content/types.ts'
import type { Position } from '../errors.ts'
import { parseProseFields } from '../markdown/prose-fields.ts'

/** A piece of prose to check: the body (positions are file positions) or the front-matter fields (mapped back to the file). */
export interface Segment {
  tree: Root
  /** The text `tree` was parsed from; its positions index into it. */
  text: string
  /** For front-matter prose: turns a position in `text` into one in the .md file. */
  map?: (point: Position) => Position | undefined
  /** The lines of `text` that hold a text declared `title` (an issue's title, a threat's name, a patch's title, a
   * project's name): too short to explain a term or spell out an acronym, so the first use that counts comes after them. */
  headingLines?: ReadonlySet<number>
}

/** Every piece of prose in a document in the order the email shows it: the front-matter fields first, then the body. */
export function docSegments(doc: Doc): Segment[] {
  const source = String(doc.file.value ?? '')
  return [frontMatterSegment(doc, source), { tree: doc.body, text: source }]
}

/**
 * The front-matter prose as one segment, in reading order: the fields the schema declares prose, parsed once and
 * shared with the renderer, and a map that sends each line back to its field's place in the file.
 */
function frontMatterSegment(doc: Doc, source: string): Segment {
  const { fields, text } = parseProseFields(doc)
  const lines = source.split('\n')
  const maps = fields.map((field) => {
    const at = doc.where(field.path)
    return at ? valueMapper(lines, at, field.text) : () => undefined
  })
  const textLines = text.split('\n')
  const tree: Root = {
    type: 'root',
    children: fields.flatMap((field) => field.nodes),
    position: {
      start: { line: 1, column: 1, offset: 0 },
      end: { line: textLines.length, column: textLines[textLines.length - 1]!.length + 1, offset: text.length },
    },
  }
  const map = (point: Position) => {
    let k = fields.length - 1
    while (k > 0 && fields[k]!.start.line > point.line) k -= 1
    return maps[k]!({ line: point.line - fields[k]!.start.line + 1, column: point.column })
  }
  const headingLines = new Set(fields.flatMap((field) => (field.kind === 'title' ? field.text.split('\n').map((_, k) => field.start.line + k) : [])))
  return { tree, text, map, headingLines }
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
