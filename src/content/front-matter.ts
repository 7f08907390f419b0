import { Document, isMap, isScalar, isSeq, parseDocument, Scalar, type Node, type Pair, type YAMLMap } from 'yaml'
import { NewsletterError } from '../errors.ts'

/** Where a document's front matter is in its text. */
export interface FrontMatterPlace {
  /** The YAML between the `---` lines, with the line ends the file has. */
  yaml: string
  /** The offset of the YAML in the text. */
  start: number
  /** The offset just after the YAML, where the closing `---` line starts. */
  end: number
  /** The offset of the body, after the closing line. */
  bodyStart: number
}

// A byte order mark may come first; `---yaml` names the one language front matter is written in.
const fences = /^(\uFEFF?---[ \t]*(?:yaml[ \t]*)?\r?\n)([\s\S]*?\r?\n)??(---[ \t]*(?:\r?\n|$))/

/** Find the front matter of a document's text: between a `---` line at the very start and the next `---` line. */
export function findFrontMatter(text: string): FrontMatterPlace | undefined {
  const match = fences.exec(text)
  if (!match) return undefined
  const start = match[1]!.length
  const yaml = match[2] ?? ''
  return { yaml, start, end: start + yaml.length, bodyStart: match[0].length }
}

/** One change to a top-level key of the front matter. */
export type FrontMatterChange =
  /** Set a value; a new key goes on the line after the key `after` (when it is there), else at the end. */
  | { set: string; value: string; quoted?: boolean; after?: string }
  | { delete: string }
  /**
   * Set a key's value to a block of YAML (`lines`, already indented below the key), replacing what it had; a comment on
   * the key's line stays. A new key goes on the line after the key `after` (when it is there), else at the end.
   */
  | { block: string; lines: readonly string[]; after?: string }
  /** Add an item to a list, creating the key when missing; the fields named in `quoted` are written in double quotes. */
  | { append: string; item: Record<string, string>; quoted?: readonly string[] }

/**
 * Apply changes to a document's front matter, in order. The YAML document model finds what to change, and only the
 * changed values are written into the text: comments, their alignment, key order, quoting, wrapped lines, a byte
 * order mark, the line ends and the body all stay as the author wrote them.
 */
export function editFrontMatter(text: string, changes: readonly FrontMatterChange[]): string {
  const place = findFrontMatter(text)
  if (!place) throw new NewsletterError('The file has no front matter to change', 'content', undefined, { hint: 'Start the file with a `---` line, the YAML fields, and another `---` line' })
  const crlf = place.yaml.includes('\r\n')
  let yaml = place.yaml.replace(/\r\n/g, '\n')
  for (const change of changes) yaml = applyChange(yaml, change)
  return text.slice(0, place.start) + (crlf ? yaml.replace(/\n/g, '\r\n') : yaml) + text.slice(place.end)
}

type KeyPair = Pair<Scalar, Node | null>

function applyChange(source: string, change: FrontMatterChange): string {
  const document = parseDocument(source)
  if (document.errors.length > 0) throw new NewsletterError('The front matter is not valid YAML; fix it before changing it', 'content')
  const map = document.contents
  if (map !== null && !isMap(map)) throw new NewsletterError('The front matter is not a set of `key: value` lines', 'content')
  const pairs = (map?.items ?? []) as KeyPair[]
  const find = (key: string | undefined) => pairs.find((pair) => isScalar(pair.key) && pair.key.value === key)
  // Top-level keys are written where the first one is (front matter is rarely indented, but may be).
  const indent = pairs[0] ? leadingSpace(source, pairs[0].key.range![0]) : ''
  if ('delete' in change) {
    const pair = find(change.delete)
    return pair ? splice(source, lineStart(source, pair.key.range![0]), pairEnd(source, pair), '') : source
  }
  if ('block' in change) {
    const pair = find(change.block)
    const lines = change.lines.map((line) => `${indent}${line}\n`).join('')
    if (!pair) {
      const after = find(change.after)
      const at = after ? pairEnd(source, after) : source.length
      return splice(source, at, at, `${indent}${change.block}:\n${lines}`)
    }
    const colon = source.indexOf(':', pair.key.range![1]) + 1
    const value = pair.value
    const empty = !value || (isScalar(value) && value.value === null)
    // A value on the key's line (`numbers: {…}`) goes, a comment after it stays; the block below the key is replaced whole.
    const onKeyLine = !empty && !source.slice(colon, value.range![0]).includes('\n')
    const edited = onKeyLine ? splice(source, colon, value.range![1], '') : source
    const start = afterLine(edited, colon)
    const end = empty || onKeyLine ? start : pairEnd(source, pair)
    return splice(edited, start, end, lines)
  }
  if ('set' in change) {
    const pair = find(change.set)
    if (pair) return setValue(source, pair, change.value)
    const line = `${indent}${change.set}: ${valueText(change.set, change.value, change.quoted ? Scalar.QUOTE_DOUBLE : Scalar.PLAIN)}\n`
    const after = find(change.after)
    const at = after ? pairEnd(source, after) : source.length
    return splice(source, at, at, line)
  }
  const pair = find(change.append)
  const list = pair?.value
  if (!pair) return splice(source, source.length, source.length, `${indent}${change.append}:\n${blockItem(change, `${indent}  `)}`)
  if (isScalar(list) && list.value === null) {
    const at = afterLine(source, pair.key.range![1])
    return splice(source, at, at, blockItem(change, `${indent}  `))
  }
  if (!isSeq(list)) throw new NewsletterError(`\`${change.append}\` in the front matter is not a list`, 'content')
  const [first, last] = [list.items[0] as Node | undefined, list.items.at(-1) as Node | undefined]
  if (list.flow && last) {
    const padded = source[list.range![0] + 1] === ' '
    return splice(source, last.range![1], last.range![1], `, ${flowItem(change, padded)}`)
  }
  if (list.flow) {
    // `updates: []` grows into the usual block list; a comment after it stays on the key's line.
    const colon = source.indexOf(':', pair.key.range![1]) + 1
    const edited = splice(source, colon, list.range![1], '')
    const at = afterLine(edited, colon)
    return splice(edited, at, at, blockItem(change, `${indent}  `))
  }
  const at = afterLine(source, last!.range![1])
  return splice(source, at, at, blockItem(change, leadingSpace(source, first!.range![0])))
}

/** Replace a key's value in place, keeping its quoting and any comment on its line. */
function setValue(source: string, pair: KeyPair, value: string): string {
  const node = pair.value
  const colon = source.indexOf(':', pair.key.range![1]) + 1
  const key = String(pair.key.value)
  if (isScalar(node) && node.value !== null && node.type !== Scalar.BLOCK_FOLDED && node.type !== Scalar.BLOCK_LITERAL) {
    return splice(source, node.range![0], node.range![1], valueText(key, value, node.type ?? Scalar.PLAIN))
  }
  if (!node || (isScalar(node) && node.value === null)) return splice(source, colon, colon, ` ${valueText(key, value, Scalar.PLAIN)}`)
  // A block value (a literal, a list) spans lines: the new one-line value replaces all of them.
  const end = node.range![1]
  return splice(source, colon, end, ` ${valueText(key, value, Scalar.PLAIN)}${source[end - 1] === '\n' ? '\n' : ''}`)
}

/** A value as YAML in the style asked for; when that style cannot hold it, in double quotes (JSON is valid YAML). */
function valueText(key: string, value: string, type: Scalar.Type): string {
  const scalar = new Scalar(value)
  scalar.type = type
  const document = new Document({})
  document.set(key, scalar)
  const text = document.toString({ lineWidth: 0 }).slice(key.length + 2, -1)
  return !text.includes('\n') && parseDocument(`${key}: ${text}`).get(key) === value ? text : JSON.stringify(value)
}

function blockItem(change: { item: Record<string, string>; quoted?: readonly string[] }, indent: string): string {
  const document = new Document([quotedItem(change)])
  return document
    .toString({ lineWidth: 0 })
    .split('\n')
    .map((line) => (line === '' ? line : indent + line))
    .join('\n')
}

function flowItem(change: { item: Record<string, string>; quoted?: readonly string[] }, padded: boolean): string {
  const map = quotedItem(change)
  map.flow = true
  return new Document(map).toString({ lineWidth: 0, flowCollectionPadding: padded }).trimEnd()
}

function quotedItem({ item, quoted = [] }: { item: Record<string, string>; quoted?: readonly string[] }): YAMLMap {
  const map = new Document().createNode(item) as YAMLMap
  for (const key of quoted) (map.get(key, true) as Scalar).type = Scalar.QUOTE_DOUBLE
  return map
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end)
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1
}

/** The offset after the line holding `offset` (`offset` itself when it already starts a line). */
function afterLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset
  const end = text.indexOf('\n', offset)
  return end < 0 ? text.length : end + 1
}

/** Where the lines of a `key: value` pair end, a comment on its last line included. */
function pairEnd(text: string, pair: KeyPair): number {
  return afterLine(text, pair.value?.range?.[1] ?? pair.key.range![1])
}

function leadingSpace(text: string, offset: number): string {
  const start = lineStart(text, offset)
  return /^[ \t]*/.exec(text.slice(start, offset))![0]
}
