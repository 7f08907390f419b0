import type { RootContent } from 'mdast'
import { issueFields, noticeFields } from '../content/fields.ts'
import { proseValues, type ProseValue } from '../content/schema.ts'
import type { Doc } from '../content/types.ts'
import { parseMarkdown, parsePlainLine, shiftPositions } from './parse.ts'

/** A front-matter prose text with its Markdown parsed. */
export interface ProseField extends ProseValue {
  /** The parsed Markdown; positions index into `ParsedProse.text`. */
  nodes: RootContent[]
  /** Where the field's text starts in `ParsedProse.text`. */
  start: { line: number; offset: number }
}

/** A document's front-matter prose, parsed once: the renderer and the writing checks both read it. */
export interface ParsedProse {
  /** Every prose text the schema declares, in the order readers see them. */
  fields: ProseField[]
  /** The fields' texts joined by a comment line, in that order. */
  text: string
  byPath: ReadonlyMap<string, ProseField>
}

const parsed = new WeakMap<Doc, ParsedProse>()

/** A document's front-matter prose as mdast, parsed at the first call and shared after it; never change the nodes. */
export function parseProseFields(doc: Doc): ParsedProse {
  let result = parsed.get(doc)
  if (!result) {
    result = parseAll(proseValues(doc.meta, doc.meta.kind === 'issue' ? issueFields : noticeFields))
    parsed.set(doc, result)
  }
  return result
}

const split = '<!-- newsletter:next-field -->'
const separator = `\n\n${split}\n\n`

/**
 * The fields' texts joined by a comment line. A line of plain text becomes its paragraph directly; the other fields are
 * parsed together, once (each parse has a fixed cost that outweighs a short field), and their nodes moved to their
 * place. A field that swallows the comment (an unclosed fence) changes the count, and then each is parsed on its own.
 */
function parseAll(values: readonly ProseValue[]): ParsedProse {
  const texts = values.map((value) => value.text)
  const starts = fieldStarts(texts)
  const plain = texts.map((text) => parsePlainLine(text)?.children)
  const rich = texts.flatMap((text, k) => (plain[k] ? [] : [{ k, text }]))
  const together = rich.length > 0 ? groupsOf(parseMarkdown(rich.map(({ text }) => text).join(separator)).children) : []
  const richStarts = fieldStarts(rich.map(({ text }) => text))
  const joint = together.length === rich.length
  // Where each field's nodes start, before they are moved: in the joint parse, or at the top of their own.
  const nodes = [...plain]
  const from = texts.map(() => ({ line: 1, offset: 0 }))
  rich.forEach(({ k, text }, j) => {
    nodes[k] = joint ? together[j]! : parseMarkdown(text).children
    if (joint) from[k] = richStarts[j]!
  })
  const fields = values.map((value, k): ProseField => {
    for (const node of nodes[k]!) shiftPositions(node, starts[k]!.line - from[k]!.line, starts[k]!.offset - from[k]!.offset)
    return { ...value, nodes: nodes[k]!, start: starts[k]! }
  })
  return { fields, text: texts.join(separator), byPath: new Map(fields.map((field) => [field.path, field])) }
}

function fieldStarts(texts: readonly string[]): { line: number; offset: number }[] {
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
  const groups: RootContent[][] = [[]]
  for (const node of children) {
    if (node.type === 'html' && node.value === split) groups.push([])
    else groups[groups.length - 1]!.push(node)
  }
  return groups
}
