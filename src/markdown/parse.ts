import type { Root } from 'mdast'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'

const parser = unified().use(remarkParse).use(remarkGfm).freeze()

/** Markdown (GitHub flavoured: tables, autolinks, strikethrough) → mdast with positions. */
export function parseMarkdown(markdown: string): Root {
  return parsePlainLine(markdown) ?? (parser.runSync(parser.parse(markdown)) as Root)
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
