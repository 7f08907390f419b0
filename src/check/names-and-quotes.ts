import type { Root } from 'mdast'
import { visit } from 'unist-util-visit'
import type { Position } from '../errors.ts'
import { spokenCount } from './frequency.ts'
import { nameJoiners, productNames } from './grammar-words.ts'
import type { Token } from './phrases.ts'

interface Span {
  start: Position
  end: Position
}

// Quotation marks around someone else's words: straight and curly double quotes, and single quotes used as quotes (an
// opening one after a space or bracket, a closing one before a space or punctuation, so "users' files" and "don't"
// are apostrophes). No blank line inside: a stray mark must not swallow the rest of the document.
const quotes =
  /"(?:[^"\n]|\n(?!\s*\n)){1,300}?"|“[^”]{1,300}?”|(?<![\p{L}\p{N}])['‘](?=[\p{L}\p{N}])(?:[^'’\n]|['’](?=[\p{L}\p{N}])){1,300}?(?<=[\p{L}\p{N}.!?])['’](?![\p{L}\p{N}])/gu

function pointAt(lineStarts: readonly number[], offset: number): Position {
  let line = lineStarts.length - 1
  while (line > 0 && lineStarts[line]! > offset) line -= 1
  return { line: line + 1, column: offset - lineStarts[line]! + 1 }
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.column < b.column)

/**
 * What in a segment is someone else's words: text in quotation marks, and bold text inside a paragraph (a UI label:
 * "select **Send and archive**"; a bold lead-in that starts a paragraph is the writer's own). Backticks need nothing:
 * code never reaches the word checks. Returns a test for a position in the segment's text.
 */
export function quotedText(tree: Root, text: string): (point: Position) => boolean {
  const lineStarts = [0]
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) lineStarts.push(k + 1)
  const spans: Span[] = []
  for (const match of text.matchAll(quotes)) spans.push({ start: pointAt(lineStarts, match.index), end: pointAt(lineStarts, match.index + match[0].length) })
  visit(tree, 'strong', (node, index, parent) => {
    if (node.position && !(parent?.type === 'paragraph' && index === 0)) spans.push(node.position)
  })
  if (spans.length === 0) return () => false
  return (point) => spans.some((span) => !before(point, span.start) && before(point, span.end))
}

/** The lines of a segment's Markdown headings. */
export function headingLinesOf(tree: Root): Set<number> {
  const lines = new Set<number>()
  for (const node of tree.children)
    if (node.type === 'heading' && node.position) for (let line = node.position.start.line; line <= node.position.end.line; line++) lines.add(line)
  return lines
}

// "The", "Our", "This", "New": said so often that, first in a sentence, they are not the start of a name.
const everyday = 5000

const isTitleWord = (token: Token) => /^\p{Lu}\p{Ll}/u.test(token.text)
const isCapitalised = (token: Token) => /^[\p{Lu}\p{N}]/u.test(token.text)

/** The tokens of one name: from `from` up to, not including, `to`. */
export interface Name {
  from: number
  to: number
}

/**
 * The tokens of names in a sentence: two or more capitalised words together ("Microsoft Defender for Endpoint",
 * "Exchange Online", "Windows 11"), or a product from a short list ("SAP", "Intune"). A heading in title case
 * ("Zero-Day Patch for Exchange") says nothing about names: there only the listed products count. Each token maps to
 * its whole name.
 */
export function nameTokens(tokens: readonly Token[], heading: boolean): Map<number, Name> {
  const names = new Map<number, Name>()
  tokens.forEach((token, i) => {
    if (productNames.has(token.text)) names.set(i, { from: i, to: i + 1 })
  })
  const long = tokens.filter((token) => token.part === 0 && token.text.length >= 4)
  if (heading && long.length >= 3 && long.every(isCapitalised)) return names
  let i = 0
  while (i < tokens.length) {
    if (!isCapitalised(tokens[i]!) || tokens[i]!.part > 0) {
      i += 1
      continue
    }
    // A run of capitalised words, with joining words between them and the later parts of hyphenated words.
    let end = i + 1
    while (end < tokens.length && !tokens[end]!.afterBreak) {
      const token = tokens[end]!
      if (token.part > 0 || isCapitalised(token)) end += 1
      else if (nameJoiners.has(token.normal) && tokens[end + 1] && isCapitalised(tokens[end + 1]!) && !tokens[end + 1]!.afterBreak) end += 2
      else break
    }
    const titleWords = (from: number) => tokens.slice(from, end).filter((token) => token.part === 0 && isTitleWord(token)).length
    // At the start of a sentence the first word is capitalised anyway: it belongs to the name only when the name needs
    // it and it is not one of the commonest words ("The Wi-Fi controller", "Our Service Desk").
    let from = i
    if ((i === 0 || tokens[i]!.afterBreak) && (titleWords(i + 1) >= 2 || spokenCount(tokens[i]!.text) >= everyday)) {
      from = i + 1
      while (from < end && tokens[from]!.part > 0) from += 1
    }
    if (titleWords(from) >= 2) for (let k = from; k < end; k++) names.set(k, { from, to: end })
    i = end
  }
  return names
}
