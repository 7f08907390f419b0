import type { Root as MdastRoot } from 'mdast'
import type { Node } from 'unist'
import type { Doc } from '../content/types.ts'
import type { Position } from '../errors.ts'
import { parseMarkdown } from '../markdown/parse.ts'

/** A piece of prose to check: the body (positions are file positions) or a front-matter field (pointed at as a whole). */
export interface Segment {
  tree: MdastRoot
  /** The text `tree` was parsed from; its positions index into it. */
  text: string
  /** For front-matter prose: turns a position in `text` into one in the .md file. */
  map?: (point: Position) => Position | undefined
}

/** Every piece of prose in a document in the order the email shows it: front-matter fields first, then the body. */
export function docSegments(doc: Doc): Segment[] {
  const { meta } = doc
  const fields: [string, string | undefined][] = [['title', meta.title], ['summary', meta.summary]]
  if (meta.kind === 'issue') {
    if (meta.threat) {
      fields.push(['threat.summary', meta.threat.summary])
      meta.threat.signs.forEach((sign, i) => fields.push([`threat.signs.${i}`, sign]))
      meta.threat.actions.forEach((action, i) => fields.push([`threat.actions.${i}`, action]))
    }
    meta.patches.forEach((patch, i) => fields.push([`patches.${i}.action`, patch.action]))
    if (meta.top_question) fields.push(['top_question.question', meta.top_question.question], ['top_question.answer', meta.top_question.answer])
    meta.projects.forEach((project, i) => fields.push([`projects.${i}.summary`, project.summary]))
    meta.incidents.forEach((incident, i) => {
      fields.push([`incidents.${i}.service`, incident.service], [`incidents.${i}.impact`, incident.impact], [`incidents.${i}.cause`, incident.cause], [`incidents.${i}.fix`, incident.fix])
    })
  } else {
    fields.push(['service', meta.service], ['impact', meta.impact], ['workaround', meta.workaround])
    meta.updates.forEach((update, i) => fields.push([`updates.${i}.text`, update.text]))
  }
  const source = String(doc.file.value ?? '')
  const lines = source.split('\n')
  const segments: Segment[] = fields.flatMap(([path, text]) => {
    const at = doc.where(path)
    return text === undefined ? [] : [{ tree: parseMarkdown(text), text, map: at ? valueMapper(lines, at, text) : () => undefined }]
  })
  segments.push({ tree: doc.body, text: source })
  return segments
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
