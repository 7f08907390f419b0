import type { Sentence } from 'nlcst'
import { toString } from 'nlcst-to-string'
import type { Position } from '../errors.ts'
import { normalizeWord, wordForms } from './words.ts'

/** One word of a sentence as phrases are matched: hyphenated words are split into their parts. */
export interface Token {
  text: string
  /** `text` lower-cased, in American spelling. */
  normal: string
  forms: readonly string[]
  start: Position
  /** Punctuation (or a URL, a time, a number with dots) stands between this token and the one before it. */
  afterBreak: boolean
  /** Punctuation right before the word and right after it (spaces skipped), for "(MFA)", "YES" in quotes, "term: …". */
  before?: string
  after?: string
  /** The whole word this token is part of ("re-imaged" for "re" and "imaged"), and which part it is, from 0. */
  word: string
  part: number
}

/** A phrase found in a sentence: `length` tokens from `index`. */
export interface Match<T> {
  index: number
  length: number
  value: T
  start: Position
  end: Position
}

interface Entry<T> {
  tokens: ReadonlySet<string>[]
  /** For each word written as an acronym ("SAN", "SaaS"), that spelling: it matches only in capitals, not "San" or "cab". */
  capitals: readonly (string | undefined)[]
  /** The phrase's words as written, normalized: an entry written exactly as the text wins over an inflection. */
  words: readonly string[]
  value: T
  /** The lookup that last tried this entry: a word's forms often share entries, and each is tried once. */
  tried: number
}

// Nouns that are plain as nouns: only their verb forms ("impacted", "impacting") count as the wordy verb.
const plainNouns = new Set(['impact'])

/** Splits a phrase into the words it is matched by; a hyphenated word also matches when written as one word. */
export function phraseVariants(phrase: string): string[][] {
  const words = phrase.trim().split(/\s+/)
  const split = words.flatMap((word) => word.split('-')).filter(Boolean)
  const joined = words.map((word) => word.replace(/-/g, ''))
  return phrase.includes('-') ? [split, joined] : [split]
}

/** Phrases indexed by the forms of their first word, matched by word forms (inflections, British spellings). */
export class PhraseIndex<T> {
  private byFirst = new Map<string, Entry<T>[]>()
  private lookups = 0

  /** Add a phrase; phrases added earlier win a tie. Phrases with anything but words are skipped. */
  add(phrase: string, value: T): void {
    for (const words of phraseVariants(phrase)) {
      if (words.length === 0 || words.some((word) => !/^[\p{L}\p{N}'’]+$/u.test(word))) continue
      const tokens = words.map((word) => new Set(wordForms(word)))
      const capitals = words.map((word) => (/[A-Z].*[A-Z]/.test(word) ? word : undefined))
      const entry = { tokens, capitals, words: words.map(normalizeWord), value, tried: 0 }
      for (const form of tokens[0]!) {
        const list = this.byFirst.get(form) ?? []
        list.push(entry)
        this.byFirst.set(form, list)
      }
    }
  }

  /** True when a phrase of these words is in the index. */
  has(phrase: string): boolean {
    return phraseVariants(phrase).some((words) => {
      const tokens = words.map((text) => ({
        text,
        normal: normalizeWord(text),
        forms: wordForms(text),
        start: { line: 1, column: 1 },
        afterBreak: false,
        word: text,
        part: 0,
      }))
      return this.longestAt(tokens, 0)?.length === tokens.length
    })
  }

  /** The longest phrase starting at each token, left to right, without overlaps. */
  find(tokens: readonly Token[]): Match<T>[] {
    const found: Match<T>[] = []
    for (let i = 0; i < tokens.length; i++) {
      const best = this.longestAt(tokens, i)
      if (!best) continue
      const last = tokens[i + best.length - 1]!
      found.push({
        index: i,
        length: best.length,
        value: best.value,
        start: tokens[i]!.start,
        end: { line: last.start.line, column: last.start.column + last.text.length },
      })
      i += best.length - 1
    }
    return found
  }

  private longestAt(tokens: readonly Token[], i: number): { length: number; value: T } | undefined {
    let best: { length: number; value: T; exact: boolean } | undefined
    const lookup = ++this.lookups
    for (const form of tokens[i]!.forms) {
      for (const entry of this.byFirst.get(form) ?? []) {
        if (entry.tried === lookup) continue
        entry.tried = lookup
        const length = entry.tokens.length
        if (best && (length < best.length || (length === best.length && best.exact))) continue
        if (
          entry.tokens.every((set, k) => k + i < tokens.length && (k === 0 || !tokens[i + k]!.afterBreak) && matches(set, tokens[i + k]!, entry.capitals[k]))
        ) {
          const exact = entry.words.every((word, k) => tokens[i + k]!.normal === word)
          if (!best || length > best.length || exact) best = { length, value: entry.value, exact }
        }
      }
    }
    return best
  }
}

function matches(set: ReadonlySet<string>, token: Token, capitals: string | undefined): boolean {
  if (capitals !== undefined) return inCapitals(token.text, capitals)
  for (const noun of plainNouns) if (token.normal === noun && set.has(noun)) return false
  return token.forms.some((form) => set.has(form))
}

interface Part {
  text: string
  normal: string
  forms: readonly string[]
  offset: number
  index: number
  /** The word's last part: punctuation after the word is after it. */
  last: boolean
}

// Each distinct word is split and normalized once: documents repeat their words.
const wordParts = new Map<string, readonly Part[] | null>()

/** The parts a word is matched by, or null for what is not a word: URLs, times, versions and ids (CVE-2026-1234). */
function partsOf(raw: string): readonly Part[] | null {
  let parts = wordParts.get(raw)
  if (parts === undefined) {
    parts = /[^\p{L}\p{N}'’-]/u.test(raw) || (raw.includes('-') && /\d/.test(raw)) ? null : splitWord(raw)
    wordParts.set(raw, parts)
  }
  return parts
}

function splitWord(raw: string): Part[] {
  const parts: Part[] = []
  let offset = 0
  const texts = raw.split('-')
  texts.forEach((text, index) => {
    // An acronym's plural ("SANs") is looked up as the acronym too.
    const forms = /^[A-Z]{2,}s$/.test(text) ? [...wordForms(text), text.slice(0, -1).toLowerCase()] : wordForms(text)
    if (text) parts.push({ text, normal: normalizeWord(text), forms, offset, index, last: index === texts.length - 1 })
    offset += text.length + 1
  })
  return parts
}

function textOf(node: Sentence['children'][number]): string {
  const only = 'children' in node && node.children.length === 1 ? node.children[0] : undefined
  return only && 'value' in only ? only.value : toString(node)
}

// "SAN", "SANs" and "SAAS" for SaaS, but not "San" or "sans".
function inCapitals(text: string, acronym: string): boolean {
  const bare = text.endsWith('s') && text.length > acronym.length ? text.slice(0, -1) : text
  return bare === acronym || (bare === bare.toUpperCase() && bare === acronym.toUpperCase())
}

/** The tokens of a sentence, with file positions from its nodes. */
export function sentenceTokens(sentence: Sentence): Token[] {
  const tokens: Token[] = []
  let afterBreak = false
  const children = sentence.children
  const punctuation = (from: number, step: 1 | -1): string | undefined => {
    for (let k = from; k >= 0 && k < children.length; k += step) {
      const node = children[k]!
      if (node.type === 'WhiteSpaceNode') continue
      return node.type === 'PunctuationNode' || node.type === 'SymbolNode' ? toString(node) : undefined
    }
    return undefined
  }
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!
    if (node.type === 'WhiteSpaceNode') continue
    const raw = node.type === 'WordNode' ? textOf(node) : ''
    const parts = node.type === 'WordNode' && node.position ? partsOf(raw) : null
    if (!parts) {
      // Punctuation and what is not a word break phrases.
      afterBreak = true
      continue
    }
    const { line, column } = node.position!.start
    for (const part of parts) {
      tokens.push({
        text: part.text,
        normal: part.normal,
        forms: part.forms,
        start: { line, column: column + part.offset },
        afterBreak: part.index === 0 && afterBreak,
        before: part.index === 0 ? punctuation(i - 1, -1) : undefined,
        after: part.last ? punctuation(i + 1, 1) : undefined,
        word: raw,
        part: part.index,
      })
    }
    afterBreak = false
  }
  return tokens
}

/**
 * The phrases a pattern stands for: each `{a|b|}` is one of its choices (an empty choice leaves it out), and `$1`, `$2`…
 * in `replace` stand for the choice made in that group: `{completely|fully} {finish|eliminate}` with `$2`.
 */
export function expandPattern(pattern: string, replace: readonly string[] = []): { phrase: string; replace: string[] }[] {
  const groups = [...pattern.matchAll(/\{([^}]*)\}/g)].map((match) => match[1]!.split('|'))
  let expanded: string[][] = [[]]
  for (const choices of groups) expanded = expanded.flatMap((made) => choices.map((choice) => [...made, choice]))
  const tidy = (text: string) => text.replace(/\s+/g, ' ').trim()
  return expanded.map((made) => {
    let k = 0
    const phrase = tidy(pattern.replace(/\{[^}]*\}/g, () => made[k++]!))
    return { phrase, replace: replace.map((text) => tidy(text.replace(/\$(\d)/g, (_, n: string) => made[Number(n) - 1] ?? ''))) }
  })
}
