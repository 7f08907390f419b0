import type { Root } from 'mdast'
import type { Node, Point } from 'unist'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'

const parser = unified().use(remarkParse).use(remarkGfm).freeze()

/** Markdown (GitHub flavoured: tables, autolinks, strikethrough) → mdast with positions. */
export function parseMarkdown(markdown: string): Root {
  return parsePlainLine(markdown) ?? (parser.runSync(parser.parse(markdown)) as Root)
}

/**
 * The body of a file, which starts at `start` (a body that is not empty starts a line): mdast whose positions are those
 * of the file. Only the body is parsed; blank lines standing in for what comes before it cost micromark about 12 µs each.
 */
export function parseMarkdownAt(body: string, start: Point): Root {
  const root = parseMarkdown(body)
  shiftPositions(root, start.line - 1, start.offset!)
  // The root spans the file; an empty body ends where the file does, which may be after text on its last line.
  root.position = { start: { line: 1, column: 1, offset: 0 }, end: body === '' ? { ...start } : root.position!.end }
  return root
}

/** Move a node and everything under it by so many lines and characters. */
export function shiftPositions(node: Node & { children?: Node[] }, lines: number, offset: number): void {
  const { position } = node
  if (position) {
    for (const point of [position.start, position.end]) {
      point.line += lines
      if (point.offset !== undefined) point.offset += offset
    }
  }
  for (const child of node.children ?? []) shiftPositions(child, lines, offset)
}

// Anything that can turn a line into more than text: emphasis, code, links, HTML, entities, escapes, autolinks
// (`https:`, `www.`, emails), and what a block can start with (lists, headings, quotes, breaks).
const markup = /[\\`*_[\]<>!#|~&@\t\n\r]|https?:|www\./i
const plainStart = /^[\p{L}"'“‘(]|^\d+(?![.)\d])/u

/**
 * A single line of plain text is one paragraph holding it: built directly, since a parse has a fixed cost that is
 * most of the time for short front-matter values. Returns undefined for anything that needs the parser.
 */
export function parsePlainLine(text: string): Root | undefined {
  if (text === '' || text !== text.trim() || markup.test(text) || !plainStart.test(text)) return undefined
  const position = () => ({ start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: text.length + 1, offset: text.length } })
  return {
    type: 'root',
    children: [{ type: 'paragraph', children: [{ type: 'text', value: text, position: position() }], position: position() }],
    position: position(),
  }
}
