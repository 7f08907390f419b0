import type { Match } from './phrases.ts'
import type { Finding } from './lexicon.ts'
import type { Name } from './names-and-quotes.ts'
import type { Fix } from './rules.ts'
import { explainedAfter, textBetween, type SentenceContext } from './sentence.ts'
import { normalizeWord } from './words.ts'

/**
 * Jargon, wordy phrases and stock evasions from the lexicon (`plain/jargon`, `plain/simpler`, `plain/passive`).
 * Returns the tokens matched, so that no other detector reports them again. Someone else's words (quoted, a bold UI
 * label) and the words of a name are matched but not reported: rewording them would misquote or rename.
 */
export function checkPhrases(context: SentenceContext): Set<number> {
  const { tokens, lexicon, tally, spelled, quoted, names } = context
  const matched = new Set<number>()
  for (const match of lexicon.phrases.find(tokens)) {
    const end = match.index + match.length
    let spoken = true
    for (let k = match.index; k < end; k++) {
      matched.add(k)
      const name = names.get(k)
      if (quoted.has(k) || (name && inName(match, name))) spoken = false
    }
    if (spelled.has(match.index)) {
      if (match.value.kind === 'jargon') tally.explained.add(match.value.term.term)
      continue
    }
    if (spoken) reportMatch(match, context)
  }
  return matched
}

// A name's words are not jargon, but an acronym in it is still one to explain ("Purview DLP"), and words that are
// the whole name and a listed term are the term written in capitals ("Conditional Access"), not a product.
function inName(match: Match<Finding>, name: Name): boolean {
  if (match.value.kind === 'evasive') return false
  if (match.value.kind === 'jargon' && match.value.acronym) return false
  return !(match.value.kind === 'jargon' && match.index === name.from && match.index + match.length === name.to)
}

/** A glossary `use` as one replacement: `"steal"` or `set up`, but not `"steal" or "copy out"` nor a description. */
function plainWords(use: string): string | undefined {
  const quoted = /^"([^"]+)"$/.exec(use.trim())
  const words = quoted ? quoted[1]! : use.includes('"') ? undefined : use.trim()
  return words && !/…|\.\.\./.test(words) ? words : undefined
}

/**
 * A replacement `check --fix` can make safely: only for the very word form of the phrase ("utilize", not "utilized",
 * whose replacement would need inflecting), only with text that cannot break a YAML value, in the case of the original.
 */
function fixOf(actual: string, phrase: string, replacement: string, sentenceStart: boolean): Fix | undefined {
  const words = (text: string) =>
    text
      .split(/[\s-]+/)
      .map(normalizeWord)
      .join(' ')
  // Words that bring their own article, and an acronym's plain words, rarely drop in as they are:
  // "closes a zero-day" → "closes a a security hole", "our SOC" → "our our security team".
  if (words(actual) !== words(phrase) || /["'\\:#]/.test(replacement) || /^[\p{Lu}\d]+$/u.test(actual) || /^(a|an|the|our|your|their|its)\s/i.test(replacement))
    return undefined
  const capital = /^\p{Lu}/u.test(actual) && (sentenceStart || /\p{Ll}/u.test(actual))
  return { actual, expected: capital ? replacement[0]!.toUpperCase() + replacement.slice(1) : replacement }
}

function reportMatch(match: Match<Finding>, context: SentenceContext): void {
  const { tokens, lines, tally, inTitle, emit, place } = context
  const actual = textBetween(lines, match.start, match.end)
  const at = place(match.start)
  const finding = match.value
  if (finding.kind === 'evasive') {
    emit('plain/passive', at, `\`${actual}\` is a stock phrase that hides what happened`, finding.hint)
    return
  }
  if (finding.kind === 'simpler') {
    const words = finding.replace.map((word) => `\`${word}\``)
    const reason = words.length === 0 ? `Prefer plain words: \`${actual}\`, remove it` : `Prefer plain words: \`${actual}\`, use ${words.join(', ')} instead`
    const fix = finding.replace.length === 1 ? fixOf(actual, finding.phrase, finding.replace[0]!, match.index === 0) : undefined
    emit(
      'plain/simpler',
      at,
      reason,
      words.length === 0 ? 'Leave it out: the sentence says the same without it' : `Write ${words.join(' or ')}`,
      undefined,
      fix,
    )
    return
  }
  const { term } = finding
  if (term.use) {
    const plain = plainWords(term.use)
    const fix = plain === undefined ? undefined : fixOf(actual, term.term, plain, match.index === 0)
    emit(
      'plain/jargon',
      at,
      `\`${actual}\` is IT jargon: say ${term.use}`,
      `Write ${term.use}, or change the glossary entry for \`${term.term}\` if your readers know the word`,
      undefined,
      fix,
    )
    return
  }
  // A term worth explaining may stand in a title: it is explained in the text, where its first use there counts.
  if (inTitle || tally.explained.has(term.term)) return
  tally.explained.add(term.term)
  if (finding.acronym) tally.acronyms.add(term.term)
  const last = tokens[match.index + match.length - 1]
  const next = tokens[match.index + match.length]
  // A term followed at once by an explanation — "ransomware (software that …)" or "ransomware: software …" — is explained,
  // and so is one whose head word comes first: "the MFA check — the code your phone shows".
  if ((last && explainedAfter(last)) || (next && !next.afterBreak && explainedAfter(next))) return
  emit('plain/jargon', at, `\`${actual}\` is IT jargon: explain it the first time`, term.explain)
}
