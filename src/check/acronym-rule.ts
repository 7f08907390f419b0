import { productNames, shouted, smallWords } from './grammar-words.ts'
import { isNotAnAcronym } from './it-words.ts'
import type { Token } from './phrases.ts'
import { explainedAfter, type ReadWord, type SentenceContext } from './sentence.ts'

/** How many words before `at` spell `acronym` by their initials ("multi-factor authentication" for MFA), or 0. */
function expansionBefore(words: readonly ReadWord[], at: number, acronym: string): number {
  const letters = acronym.toLowerCase().replace(/[^a-z]/g, '')
  let i = letters.length - 1
  let j = at - 1
  while (i >= 0 && j >= 0) {
    const word = words[j]!
    if (word.text[0]?.toLowerCase() === letters[i]) i -= 1
    else if (!smallWords.has(word.text.toLowerCase())) return 0
    if (word.afterBreak && i >= 0) return 0
    j -= 1
  }
  return i < 0 ? at - j - 1 : 0
}

/** The tokens that spell an acronym out before it in brackets: "multi-factor authentication (MFA)" → 4 tokens. */
export function spelledOut(tokens: readonly Token[]): Set<number> {
  const spelled = new Set<number>()
  tokens.forEach((token, i) => {
    if (token.before !== '(' || token.after !== ')') return
    const length = expansionBefore(tokens, i, token.text)
    if (length > 0) for (let k = i - length; k <= i; k++) spelled.add(k)
  })
  return spelled
}

// Initials that match by chance are likelier the fewer there are: "every app" is not EA, "Enterprise Agreement" is;
// a small word gives no letter ("rollout of Teams" is not ROT).
function spelledEarlier(read: readonly ReadWord[], end: number, acronym: string): boolean {
  if (!/^[A-Z]+$/.test(acronym)) return false
  const last = acronym[acronym.length - 1]!.toLowerCase()
  for (let at = end; at > 0; at--) {
    if (read[at - 1]!.text[0]?.toLowerCase() !== last) continue
    const length = expansionBefore(read, at, acronym)
    if (length === 0) continue
    const words = read.slice(at - length, at).filter((word) => !smallWords.has(word.text.toLowerCase()))
    if (words.length === acronym.length && words.every((word) => word.text.length >= 3 && (acronym.length > 2 || /^\p{Lu}\p{Ll}/u.test(word.text)))) return true
  }
  return false
}

const acronyms = new Map<string, string | null>()

/** The acronym a word is ("SANs" is SAN), or undefined for words, units, identifiers, shouted words and product names. */
export function acronymOf(text: string): string | undefined {
  let acronym = acronyms.get(text)
  if (acronym === undefined) acronyms.set(text, (acronym = readAcronym(text) ?? null))
  return acronym ?? undefined
}

function readAcronym(text: string): string | undefined {
  const bare = /^(.*[A-Z])s$/.exec(text)?.[1] ?? text
  if (!/^\d*[A-Z][\dA-Za-z]*$/.test(bare)) return undefined
  const upper = bare.replace(/[^A-Z]/g, '').length
  const lower = bare.replace(/[^a-z]/g, '').length
  if (upper < 2 || lower > upper || /^[IVX]+$/.test(bare) || isNotAnAcronym(bare) || shouted.has(bare) || productNames.has(bare)) return undefined
  return bare
}

/**
 * `plain/acronym`: an acronym not spelled out before its first use in reading order. "Words in full (ABC)",
 * "ABC (words in full)", "ABC — words" and "ABC: words" spell it out, and so do its words in full anywhere earlier.
 * `readBefore` is how many words of the document came before this sentence.
 */
export function checkAcronym(context: SentenceContext, i: number, matched: ReadonlySet<number>, readBefore: number): void {
  const { tokens, lexicon, tally, spelled, emit, place } = context
  const token = tokens[i]!
  const acronym = acronymOf(token.text)
  if (!acronym || matched.has(i) || tally.acronyms.has(acronym) || lexicon.known.has(acronym) || context.quoted.has(i)) return
  if (token.before === '"' && token.after === '"') return
  if (spelledEarlier(tally.read, readBefore + i, acronym)) {
    tally.acronyms.add(acronym)
    return
  }
  // A title or a name has no room to spell an acronym out: it is flagged there, and still has to be spelled out in the text.
  if (context.inTitle) {
    emit(
      'plain/acronym',
      place(token.start),
      `\`${acronym}\` in a title is not spelled out`,
      'A title has no room for it: say it in plain words there, and spell it out once in the text',
    )
    return
  }
  tally.acronyms.add(acronym)
  if (spelled.has(i) || (token.before === '(' && token.after === ')') || tokens[i + 1]?.before === '(' || explainedAfter(token)) return
  emit(
    'plain/acronym',
    place(token.start),
    `\`${acronym}\` is not spelled out the first time it is used`,
    `Write it out once, like "words in full (${acronym})", or add it to known_acronyms in the glossary if everyone knows it`,
  )
}
