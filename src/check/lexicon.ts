import type { Glossary, Term } from './glossary.ts'
import { spokenCount } from './frequency.ts'
import { everydayAcronyms, everydayWords, evasive, evasivePatterns, itTermPatterns, itTerms, plainEnough, wordyPatterns, wordyPhrases } from './it-words.ts'
import { expandPattern, PhraseIndex, phraseVariants } from './phrases.ts'
import { wordForms } from './words.ts'

/** A phrase the checks look for: glossary jargon, a wordy phrase with plainer words, or evasive wording. */
export type Finding =
  { kind: 'jargon'; term: Term; acronym: boolean } | { kind: 'simpler'; phrase: string; replace: readonly string[] } | { kind: 'evasive'; hint: string }

/** retext-simplify's phrase list: each phrase, the plain words to use, and whether leaving it out is an option. */
export type SimplifyPatterns = Record<string, { replace: readonly string[]; omit?: boolean }>

/** What the plain-language checks know: every phrase to find, and the acronyms that need no spelling out. */
export interface Lexicon {
  phrases: PhraseIndex<Finding>
  known: ReadonlySet<string>
  /** Words readers know though they are rare in speech ("inbox", a project's plain_enough), as their forms. */
  everyday: ReadonlySet<string>
  /** Whether each word met so far is uncommon, as written: filled as documents are checked. */
  rare: Map<string, boolean>
}

// retext-simplify lists words that people say every day ("attempt", "provide", "identify", "previously"): in an IT
// newsletter they are the plain words, not the pompous ones. One word its list keeps is legalese however often it is
// said in films.
const dailyBelow = 800
const legalese = new Set(['shall'])

function spokenDaily(phrase: string): boolean {
  return !phrase.includes(' ') && !legalese.has(phrase) && spokenCount(phrase) >= dailyBelow
}

/** True for a term written like an acronym: "SAN", "SaaS", "2FA". */
export function isAcronymTerm(term: string): boolean {
  return /^[\dA-Z][\dA-Za-z-]*$/.test(term) && /[A-Z].*[A-Z]|\d/.test(term)
}

/** The lexicon for a project: its glossary first (its entries win), then the built-in IT words and retext-simplify's list. */
export function createLexicon(glossary: Glossary, simplify: SimplifyPatterns): Lexicon {
  const phrases = new PhraseIndex<Finding>()
  const own = new PhraseIndex<true>()
  for (const term of glossary.terms) {
    phrases.add(term.term, { kind: 'jargon', term, acronym: isAcronymTerm(term.term) })
    own.add(term.term, true)
  }
  // plain_enough silences the built-in words, jargon and wordy alike, that a project's readers know.
  const plain = new PhraseIndex<true>()
  for (const phrase of [...plainEnough, ...glossary.plainEnough]) plain.add(phrase, true)
  const builtIn = [
    ...Object.entries(itTerms),
    ...itTermPatterns.flatMap(([pattern, use]) => expandPattern(pattern, [use]).map(({ phrase, replace }) => [phrase, { use: replace[0]! }] as const)),
  ]
  for (const [term, entry] of builtIn) {
    if (!own.has(term) && !plain.has(term)) phrases.add(term, { kind: 'jargon', term: { term, ...entry }, acronym: isAcronymTerm(term) })
  }
  const added = new Set<string>()
  const addOnce = (phrase: string, finding: Finding) => {
    if (added.has(phrase) || plain.has(phrase)) return
    added.add(phrase)
    phrases.add(phrase, finding)
  }
  for (const [phrase, hint] of Object.entries(evasive)) addOnce(phrase, { kind: 'evasive', hint })
  for (const [pattern, hint] of evasivePatterns) for (const { phrase } of expandPattern(pattern)) addOnce(phrase, { kind: 'evasive', hint })
  for (const [phrase, replace] of Object.entries(wordyPhrases)) addOnce(phrase, { kind: 'simpler', phrase, replace })
  for (const [pattern, words] of wordyPatterns) {
    for (const { phrase, replace } of expandPattern(pattern, words)) addOnce(phrase, { kind: 'simpler', phrase, replace })
  }
  for (const [phrase, pattern] of Object.entries(simplify)) {
    if (!spokenDaily(phrase)) addOnce(phrase, { kind: 'simpler', phrase, replace: pattern.omit ? [] : pattern.replace })
  }
  const known = new Set([...everydayAcronyms, ...glossary.known])
  for (const term of [...glossary.terms.map((term) => term.term), ...Object.keys(itTerms)]) {
    if (isAcronymTerm(term)) for (const words of phraseVariants(term)) known.add(words.join('-'))
  }
  const everyday = new Set<string>()
  for (const word of [...everydayWords, ...plainEnough, ...glossary.plainEnough, ...glossary.terms.map((term) => term.term)]) {
    for (const part of phraseVariants(word).flat()) for (const form of wordForms(part)) everyday.add(form)
  }
  return { phrases, known, everyday, rare: new Map() }
}
