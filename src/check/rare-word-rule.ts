import { spokenCount, spokenInLowerCase } from './frequency.ts'
import { hyphenPrefixes, wordPrefixes, wordSuffixes } from './grammar-words.ts'
import type { Lexicon } from './lexicon.ts'
import type { Token } from './phrases.ts'
import { explainedAfter, type SentenceContext } from './sentence.ts'
import { normalizeWord, wordForms } from './words.ts'

// "cloud-first", "customer-centric", "data-driven", "cloud-native", "vendor-agnostic": labels, not meanings.
const buzzword = /^\p{L}+-(first|centric|driven|native|agnostic)$/iu

// A word spoken fewer times than this in SUBTLEX's 51 million words is not an everyday word: "failover" (0),
// "endpoint" (1), "latency" (2), "decommission" (15), against "browser" (9, kept by everydayWords) and "router" (15).
const rareBelow = 20

/**
 * The everyday words a word may be built on: without a common prefix ("resubmit" → "submit", "misconfigured" →
 * "configured") and without a derivational ending ("implementation" → "implement", "reprocessing" → "process").
 */
export function stemsOf(word: string): string[] {
  const lower = word.toLowerCase()
  const bases = [
    lower,
    ...wordPrefixes.filter((prefix) => lower.startsWith(prefix) && lower.length - prefix.length >= 4).map((prefix) => lower.slice(prefix.length)),
  ]
  const stems = bases.slice(1)
  for (const base of bases) {
    const ending = wordSuffixes.find(([suffix]) => base.endsWith(suffix) && base.length - suffix.length >= 3)
    if (!ending) continue
    const root = base.slice(0, -ending[0].length)
    // A doubled last consonant belongs to the ending: "submitting" → "submit", "planned" → "plan".
    const roots = /([b-df-hj-np-tv-z])\1$/.test(root) ? [root, root.slice(0, -1)] : [root]
    for (const stem of roots) for (const end of ending[1]) stems.push(stem + end)
  }
  return stems.filter((stem) => stem.length >= 3)
}

function isEveryday(word: string, everyday: ReadonlySet<string>): boolean {
  return spokenCount(word) >= rareBelow || wordForms(word).some((form) => everyday.has(form))
}

// Words of three letters are left alone: mostly abbreviations ("ids", "ssd") that the acronym rule knows better. A word
// the lemma or the stem shows to be everyday is everyday: "reprocessed", "resubmitting", "unpatched".
function isRare(part: string, everyday: ReadonlySet<string>): boolean {
  return part.length >= 4 && !hyphenPrefixes.has(part.toLowerCase()) && !isEveryday(part, everyday) && !stemsOf(part).some((stem) => isEveryday(stem, everyday))
}

/** True when a word as written ("re-imaged", "datastore") is uncommon: one of its parts is, and the whole is not. */
function rareWord(word: string, lexicon: Lexicon): boolean {
  let rare = lexicon.rare.get(word)
  if (rare === undefined) {
    const parts = word.split('-').filter(Boolean)
    rare =
      !/[\d'’]/u.test(word) &&
      !/^\p{Lu}{2}/u.test(word) &&
      parts.some((part) => isRare(part, lexicon.everyday)) &&
      (parts.length === 1 || isRare(parts.join(''), lexicon.everyday))
    lexicon.rare.set(word, rare)
  }
  return rare
}

/**
 * The tokens of the uncommon word starting at `i`, or 0: a lower-case word (or the first of a sentence or label)
 * that is rare in speech and that no list knows. Capitalised words inside a sentence are names.
 */
function uncommonAt(tokens: readonly Token[], i: number, lexicon: Lexicon): number {
  const token = tokens[i]!
  if (token.part !== 0 || !rareWord(token.word, lexicon)) return 0
  let length = 1
  while (i + length < tokens.length && tokens[i + length]!.part > 0 && tokens[i + length]!.word === token.word) length += 1
  // A capital inside a sentence marks a name; at its start, a word the list only knows capitalised (or not at all) may
  // be a name too ("Microsoft"), unless it labels what follows ("Remediation: …").
  if (/^\p{Lu}/u.test(token.text)) {
    if (i > 0 && !token.afterBreak) return 0
    if (tokens[i + length - 1]!.after !== ':' && !spokenInLowerCase(token.text)) return 0
  }
  return length
}

function reportUncommon(tokens: readonly Token[], i: number, length: number, context: SentenceContext): void {
  const { tally, emit, place } = context
  const first = tokens[i]!
  const last = tokens[i + length - 1]!
  const key = `uncommon:${normalizeWord(first.word.replace(/-/g, ''))}`
  if (tally.explained.has(key)) return
  // "failover (switching to the spare server)", "cutover: the moment we switch" and "(cutover)" after the plain words
  // explain it: later uses need no warning.
  if (explainedAfter(last) || (first.before === '(' && last.after === ')')) {
    tally.explained.add(key)
    return
  }
  emit(
    'plain/jargon',
    place(first.start),
    `\`${first.word}\` is not an everyday word: say it in plain words, or explain it`,
    'Most readers will not know it; if yours do, add it to plain_enough in the glossary',
  )
}

/**
 * Words nobody says: a buzzword ("data-driven", `plain/simpler`) or a word rare in speech that no list knows
 * (`plain/jargon`), at token `i`. Skips what another rule reported, spelled-out acronyms, names and quotes.
 */
export function checkRareWord(context: SentenceContext, i: number, matched: ReadonlySet<number>): void {
  const { tokens, lexicon, emit, place } = context
  const token = tokens[i]!
  if (matched.has(i) || context.spelled.has(i) || context.quoted.has(i) || context.names.has(i)) return
  if (token.part === 0 && buzzword.test(token.word)) {
    emit(
      'plain/simpler',
      place(token.start),
      `\`${token.word}\` is a buzzword: say what it means`,
      'Say what changes for the reader: "new systems will run on the internet, not in our server room"',
    )
    return
  }
  const length = uncommonAt(tokens, i, lexicon)
  if (length > 0) reportUncommon(tokens, i, length, context)
}
