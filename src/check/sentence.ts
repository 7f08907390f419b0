import type { Position } from '../errors.ts'
import type { Lexicon } from './lexicon.ts'
import type { Name } from './names-and-quotes.ts'
import type { Token } from './phrases.ts'
import type { Emit } from './rules.ts'

/** One word as read so far in a document, for acronyms spelled out earlier: its initial, and whether a break came before it. */
export interface ReadWord {
  text: string
  afterBreak: boolean
}

/** What the whole document has added up to, for its reading grade and first-use rules. */
export interface Tally {
  words: number
  sentences: number
  syllables: number
  /** Acronyms already seen (spelled out or warned about). */
  acronyms: Set<string>
  /** `explain` terms already seen: explaining once is enough. */
  explained: Set<string>
  /** Sentences above the target grade, with their grade. */
  hard: { place: Position; grade: number }[]
  /** Every word read so far, in reading order. */
  read: ReadWord[]
}

/** A new, empty tally for one document. */
export function createTally(): Tally {
  return { words: 0, sentences: 0, syllables: 0, acronyms: new Set(), explained: new Set(), hard: [], read: [] }
}

/** One sentence as each detector sees it. */
export interface SentenceContext {
  tokens: readonly Token[]
  /** The lines of the segment's text, for quoting what was found. */
  lines: readonly string[]
  lexicon: Lexicon
  tally: Tally
  /** The sentence is a title or a name: no room to explain a term or spell out an acronym. */
  inTitle: boolean
  /** Tokens in someone else's words: quoted, or a bold UI label. Not checked for wordiness, jargon or passives. */
  quoted: ReadonlySet<number>
  /** Tokens of a name ("Microsoft Defender for Endpoint"): none of its words is jargon. */
  names: ReadonlyMap<number, Name>
  /** Tokens that spell an acronym out ("multi-factor authentication (MFA)"): the wording asked for. */
  spelled: ReadonlySet<number>
  emit: Emit
  place: (point: Position | undefined) => Position | undefined
}

/** The text of a segment between two of its positions. */
export function textBetween(lines: readonly string[], start: Position, end: Position): string {
  if (start.line === end.line) return lines[start.line - 1]?.slice(start.column - 1, end.column - 1) ?? ''
  return [lines[start.line - 1]?.slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1]?.slice(0, end.column - 1)].join(' ')
}

/** Where a token ends, as a position. */
export function endOf(token: Token): Position {
  return { line: token.start.line, column: token.start.column + token.text.length }
}

/** A word followed at once by its explanation: "ransomware (software that …)", "cutover: the moment we switch", "MFA — a code". */
export function explainedAfter(last: Token): boolean {
  return last.after !== undefined && ['(', ':', '—', '–'].includes(last.after)
}
