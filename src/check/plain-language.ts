import type { Paragraph, Root as NlcstRoot, Sentence, Word } from 'nlcst'
import { toString } from 'nlcst-to-string'
import { ParseEnglish } from 'parse-english'
import remarkRetext from 'remark-retext'
import { syllable } from 'syllable'
import { unified, type Processor } from 'unified'
import { VFile } from 'vfile'
import type { Position } from '../errors.ts'
import type { Glossary, Term } from './glossary.ts'
import { spokenCount, spokenInLowerCase } from './frequency.ts'
import { everydayAcronyms, everydayWords, evasive, isNotAnAcronym, itTerms, plainEnough, wordyPhrases } from './it-words.ts'
import { PhraseIndex, phraseVariants, sentenceTokens, type Match, type Token } from './phrases.ts'
import type { Emit, Fix, Limits } from './rules.ts'
import { placeAt, type Segment } from './segments.ts'
import { normalizeWord, wordForms } from './words.ts'

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

/** The lexicon for a project: its glossary first (its entries win), then the built-in IT words and retext-simplify's list. */
export function createLexicon(glossary: Glossary, simplify: SimplifyPatterns): Lexicon {
  const phrases = new PhraseIndex<Finding>()
  const acronymTerm = (term: string) => /^[\dA-Z][\dA-Za-z-]*$/.test(term) && /[A-Z].*[A-Z]|\d/.test(term)
  const own = new PhraseIndex<true>()
  for (const term of glossary.terms) {
    phrases.add(term.term, { kind: 'jargon', term, acronym: acronymTerm(term.term) })
    own.add(term.term, true)
  }
  // plain_enough silences the built-in words, jargon and wordy alike, that a project's readers know.
  const plain = new PhraseIndex<true>()
  for (const phrase of [...plainEnough, ...glossary.plainEnough]) plain.add(phrase, true)
  for (const [term, entry] of Object.entries(itTerms)) {
    if (!own.has(term) && !plain.has(term)) phrases.add(term, { kind: 'jargon', term: { term, ...entry }, acronym: acronymTerm(term) })
  }
  for (const [phrase, hint] of Object.entries(evasive)) phrases.add(phrase, { kind: 'evasive', hint })
  for (const [phrase, replace] of Object.entries(wordyPhrases)) if (!plain.has(phrase)) phrases.add(phrase, { kind: 'simpler', phrase, replace })
  for (const [phrase, pattern] of Object.entries(simplify)) {
    if (!plain.has(phrase) && !spokenDaily(phrase)) phrases.add(phrase, { kind: 'simpler', phrase, replace: pattern.omit ? [] : pattern.replace })
  }
  const known = new Set([...everydayAcronyms, ...glossary.known])
  for (const term of [...glossary.terms.map((term) => term.term), ...Object.keys(itTerms)]) {
    if (acronymTerm(term)) for (const words of phraseVariants(term)) known.add(words.join('-'))
  }
  const everyday = new Set<string>()
  for (const word of [...everydayWords, ...plainEnough, ...glossary.plainEnough, ...glossary.terms.map((term) => term.term)]) {
    for (const part of phraseVariants(word).flat()) for (const form of wordForms(part)) everyday.add(form)
  }
  return { phrases, known, everyday, rare: new Map() }
}

/** What the whole document has added up to, for its reading grade and first-use rules. */
interface Tally {
  words: number
  sentences: number
  syllables: number
  /** Acronyms already seen (spelled out or warned about). */
  acronyms: Set<string>
  /** `explain` terms already seen: explaining once is enough. */
  explained: Set<string>
  /** Sentences above the target grade, with their grade. */
  hard: { place: Position; grade: number }[]
}

/** How a document is checked. */
export interface PlainOptions {
  /** Look for agentless passives and stock apologies (`plain/passive`). */
  passive: boolean
  /** Where the reading-grade message points (the title). */
  gradeAt?: Position
}

// A title has no room to explain a term or spell out an acronym: the first use that counts comes after it.
type SentenceOptions = PlainOptions & { inTitle: boolean }

// Turns a Markdown tree into an English sentence tree with the file's positions. Built once, with one parser: neither
// keeps state between documents.
const toNlcst = unified()
  .use(remarkRetext, new ParseEnglish() as unknown as Processor<NlcstRoot>)
  .freeze()

/**
 * Plain-language checks over every segment of a document, in reading order: jargon, simpler words, unexpanded
 * acronyms, evasive wording, long sentences and paragraphs, then the document's reading grade.
 */
export async function checkPlainLanguage(segments: readonly Segment[], lexicon: Lexicon, limits: Limits, emit: Emit, options: PlainOptions): Promise<void> {
  const tally: Tally = { words: 0, sentences: 0, syllables: 0, acronyms: new Set(), explained: new Set(), hard: [] }
  for (const segment of segments) {
    const tree = (await toNlcst.run(segment.tree, new VFile({ value: segment.text }))) as unknown as NlcstRoot
    const place = (point: Position | undefined) => (point ? placeAt(segment, point) : undefined)
    const lines = segment.text.split('\n')
    forEachParagraph(tree, (paragraph) => {
      let paragraphWords = 0
      let firstWord: Word | undefined
      for (const sentence of paragraph.children) {
        if (sentence.type !== 'SentenceNode') continue
        const words = sentence.children.filter((node): node is Word => node.type === 'WordNode')
        paragraphWords += words.length
        firstWord ??= words[0]
        countSentence(words, limits, tally, place)
        if (words.length > limits.sentenceWords) {
          emit(
            'plain/sentence-length',
            place(words[0]?.position?.start),
            `This sentence has ${words.length} words; keep sentences to ${limits.sentenceWords} words or fewer`,
            'Split it in two, or turn a list of things into a bulleted list',
          )
        }
        const inTitle = segment.headingLines?.has(words[0]?.position?.start.line ?? 0) ?? false
        checkSentence(sentence, lines, lexicon, tally, { ...options, inTitle }, emit, place)
      }
      if (paragraphWords > limits.paragraphWords) {
        emit(
          'plain/paragraph-length',
          place(firstWord?.position?.start),
          `This paragraph has ${paragraphWords} words; keep paragraphs to ${limits.paragraphWords} words or fewer`,
          'Break it up: one idea per paragraph, or a short list',
        )
      }
    })
  }
  if (tally.sentences === 0 || tally.words === 0) return
  // Flesch–Kincaid grade level: https://en.wikipedia.org/wiki/Flesch%E2%80%93Kincaid_readability_tests
  const grade = 0.39 * (tally.words / tally.sentences) + 11.8 * (tally.syllables / tally.words) - 15.59
  if (grade > limits.readabilityGrade) {
    const hardest = tally.hard.sort((a, b) => b.grade - a.grade).slice(0, 5)
    const lines = [...new Set(hardest.map((entry) => entry.place.line))].sort((a, b) => a - b)
    emit(
      'plain/readability',
      options.gradeAt,
      `Reading grade ${grade.toFixed(1)} is above the target of ${limits.readabilityGrade}`,
      `Use shorter sentences and shorter words${lines.length > 0 ? `; the hardest sentences are on line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}` : ''}`,
    )
  }
}

const syllables = new Map<string, number>()

// Paragraphs hold sentences, which hold the words: no need to walk down to every word to find them.
function forEachParagraph(node: NlcstRoot | Paragraph | NlcstRoot['children'][number], each: (paragraph: Paragraph) => void): void {
  if (node.type === 'ParagraphNode') each(node)
  else if ('children' in node && node.type !== 'SentenceNode' && node.type !== 'WordNode') for (const child of node.children) forEachParagraph(child, each)
}

// An acronym is read letter by letter ("MFA" is three syllables), so dense acronyms raise the grade as they should.
// Counts are kept: `syllable` runs dozens of patterns per word, and documents repeat their words.
function syllablesOf(word: string): number {
  let count = syllables.get(word)
  if (count === undefined) syllables.set(word, (count = /^[A-Z]{2,}s?$/.test(word) ? word.replace(/s$/, '').length : syllable(word)))
  return count
}

function countSentence(words: readonly Word[], limits: Limits, tally: Tally, place: (point: Position | undefined) => Position | undefined): void {
  let syllables = 0
  for (const word of words) syllables += syllablesOf(toString(word))
  tally.sentences += 1
  tally.words += words.length
  tally.syllables += syllables
  if (words.length === 0) return
  const grade = 0.39 * words.length + 11.8 * (syllables / words.length) - 15.59
  const at = place(words[0]!.position?.start)
  if (grade > limits.readabilityGrade && at) tally.hard.push({ place: at, grade })
}

const smallWords = new Set(['of', 'and', 'the', 'for', 'to', 'a', 'an', 'in', 'on', 'as', 'at', 'by', 'with', 'or'])

/** The tokens before `(ABC)` whose initials spell ABC: "multi-factor authentication (MFA)" → 3 tokens. */
function expansionBefore(tokens: readonly Token[], at: number, acronym: string): number {
  const letters = acronym.toLowerCase().replace(/[^a-z]/g, '')
  let i = letters.length - 1
  let j = at - 1
  while (i >= 0 && j >= 0) {
    const token = tokens[j]!
    if (token.text[0]?.toLowerCase() === letters[i]) i -= 1
    else if (!smallWords.has(token.text.toLowerCase())) return 0
    if (token.afterBreak && i >= 0) return 0
    j -= 1
  }
  return i < 0 ? at - j - 1 : 0
}

// Shouted words, not acronyms: "do NOT click", "tap YES".
const shouted = new Set([
  'NOT',
  'NO',
  'YES',
  'DO',
  'NEVER',
  'ALWAYS',
  'NOW',
  'ONLY',
  'ALL',
  'STOP',
  'URGENT',
  'IMPORTANT',
  'WARNING',
  'NOTE',
  'OFF',
  'ON',
  'OR',
  'AND',
  'THE',
  'NEW',
  'FREE',
])

const acronyms = new Map<string, string | null>()

function acronymOf(text: string): string | undefined {
  let acronym = acronyms.get(text)
  if (acronym === undefined) acronyms.set(text, (acronym = readAcronym(text) ?? null))
  return acronym ?? undefined
}

function readAcronym(text: string): string | undefined {
  const bare = /^(.*[A-Z])s$/.exec(text)?.[1] ?? text
  if (!/^\d*[A-Z][\dA-Za-z]*$/.test(bare)) return undefined
  const upper = bare.replace(/[^A-Z]/g, '').length
  const lower = bare.replace(/[^a-z]/g, '').length
  if (upper < 2 || lower > upper || /^[IVX]+$/.test(bare) || isNotAnAcronym(bare) || shouted.has(bare)) return undefined
  return bare
}

// Be-verbs and participles for agentless passives: "Service has been restored", "Mistakes were made".
const beVerbs = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being'])
const irregular = new Set([
  'made',
  'taken',
  'given',
  'found',
  'sent',
  'told',
  'shown',
  'seen',
  'brought',
  'put',
  'run',
  'broken',
  'written',
  'held',
  'kept',
  'left',
  'built',
  'chosen',
])
// Participles that describe a state readers need to know, not an action someone hid: "Nothing is lost", "Email is not affected".
const states = new Set([
  'lost',
  'affected',
  'delayed',
  'closed',
  'located',
  'based',
  'connected',
  'required',
  'allowed',
  'expected',
  'used',
  'supposed',
  'logged',
  'signed',
  'set',
  'done',
  'gone',
  'finished',
  'limited',
  'scheduled',
  'planned',
  'known',
  'interested',
  'involved',
  'concerned',
  'pleased',
  'advised',
  'requested',
  'unaffected',
  'protected',
  'encrypted',
  'included',
  'attached',
  'asked',
])

const auxiliaries = new Set(['has', 'have', 'had', 'will', 'would', 'can', 'could', 'should', 'may', 'might', 'must'])

/** The text of a segment between two of its positions. */
function textBetween(lines: readonly string[], start: Position, end: Position): string {
  if (start.line === end.line) return lines[start.line - 1]?.slice(start.column - 1, end.column - 1) ?? ''
  return [lines[start.line - 1]?.slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1]?.slice(0, end.column - 1)].join(' ')
}

// "by" names who did it, unless a time follows: "should arrive by 11:00", "by Friday", "by the end of the day".
const timeWords = new Set([
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'then',
  'now',
  'today',
  'tonight',
  'tomorrow',
  'noon',
  'midnight',
  'lunchtime',
  'morning',
  'evening',
])

function isAgent(next: Token | undefined, after: Token | undefined): boolean {
  if (!next || next.afterBreak || /^\d/.test(next.text) || timeWords.has(next.normal)) return false
  return !(next.normal === 'the' && after?.normal === 'end')
}

// Evasion is about what already happened: "an issue was identified", "a change has been rolled back". A passive in
// the present or future states a fact or a plan whose doer is plain ("mail is being queued and will be delivered").
const pastBeVerbs = new Set(['was', 'were', 'been'])

function passiveAt(tokens: readonly Token[], i: number): number {
  if (!pastBeVerbs.has(tokens[i]!.text.toLowerCase())) return 0
  // "Files may need to be reopened" asks the reader to do something; it hides no one.
  if (i >= 2 && tokens[i - 1]!.text.toLowerCase() === 'to' && /^needs?$|^have$|^has$/.test(tokens[i - 2]!.text.toLowerCase())) return 0
  let j = i + 1
  while (j < tokens.length && j <= i + 3 && !tokens[j]!.afterBreak) {
    const word = tokens[j]!.text.toLowerCase()
    if (beVerbs.has(word) || word === 'not' || word.endsWith('ly') || ['now', 'already', 'also', 'just', 'still', 'then'].includes(word)) {
      j += 1
      continue
    }
    if (!(irregular.has(word) || /[a-z]{2}ed$/.test(word)) || states.has(word)) return 0
    for (let k = j + 1; k < tokens.length && k <= j + 4 && !tokens[k]!.afterBreak; k++)
      if (tokens[k]!.text.toLowerCase() === 'by' && isAgent(tokens[k + 1], tokens[k + 2])) return 0
    return j - i + 1
  }
  return 0
}

function checkSentence(
  sentence: Sentence,
  lines: readonly string[],
  lexicon: Lexicon,
  tally: Tally,
  options: SentenceOptions,
  emit: Emit,
  place: (point: Position | undefined) => Position | undefined,
): void {
  const tokens = sentenceTokens(sentence)
  // Words that spell out an acronym ("multi-factor authentication (MFA)") are the wording asked for: not flagged.
  const spelled = new Set<number>()
  tokens.forEach((token, i) => {
    if (token.before !== '(' || token.after !== ')') return
    const length = expansionBefore(tokens, i, token.text)
    if (length > 0) for (let k = i - length; k <= i; k++) spelled.add(k)
  })
  const matches = lexicon.phrases.find(tokens)
  const matched = new Set<number>()
  for (const match of matches) {
    for (let k = match.index; k < match.index + match.length; k++) matched.add(k)
    if (spelled.has(match.index)) {
      if (match.value.kind === 'jargon') tally.explained.add(match.value.term.term)
      continue
    }
    reportMatch(match, tokens, lines, tally, options, emit, place)
  }
  let passiveEnd = -1
  for (const [i, token] of tokens.entries()) {
    const length = options.passive && i > passiveEnd ? passiveAt(tokens, i) : 0
    if (length > 0 && !matched.has(i)) {
      passiveEnd = i + length - 1
      const from = i > 0 && !token.afterBreak && auxiliaries.has(tokens[i - 1]!.text.toLowerCase()) ? i - 1 : i
      const last = tokens[passiveEnd]!
      const text = textBetween(lines, tokens[from]!.start, { line: last.start.line, column: last.start.column + last.text.length })
      emit(
        'plain/passive',
        place(tokens[from]!.start),
        `\`${text}\` does not say who did it`,
        'Say who did what: "We restored the service at 14:05", or "We made a mistake: …"',
      )
    }
    const buzz = token.part === 0 && !matched.has(i) && buzzword.test(token.word)
    if (buzz) {
      emit(
        'plain/simpler',
        place(token.start),
        `\`${token.word}\` is a buzzword: say what it means`,
        'Say what changes for the reader: "new systems will run on the internet, not in our server room"',
      )
    }
    const uncommon = buzz || matched.has(i) || spelled.has(i) ? 0 : uncommonAt(tokens, i, lexicon)
    if (uncommon > 0) reportUncommon(tokens, i, uncommon, tally, emit, place)
    const acronym = acronymOf(token.text)
    if (!acronym || matched.has(i) || tally.acronyms.has(acronym) || lexicon.known.has(acronym) || (token.before === '"' && token.after === '"')) continue
    // A title or a name has no room to spell an acronym out: it is flagged there, and still has to be spelled out in the text.
    if (options.inTitle) {
      emit(
        'plain/acronym',
        place(token.start),
        `\`${acronym}\` in a title is not spelled out`,
        'A title has no room for it: say it in plain words there, and spell it out once in the text',
      )
      continue
    }
    tally.acronyms.add(acronym)
    // "Multi-factor authentication (MFA)" and "MFA (multi-factor authentication)" both spell it out.
    if (spelled.has(i) || (token.before === '(' && token.after === ')') || tokens[i + 1]?.before === '(') continue
    emit(
      'plain/acronym',
      place(token.start),
      `\`${acronym}\` is not spelled out the first time it is used`,
      `Write it out once, like "words in full (${acronym})", or add it to known_acronyms in the glossary if everyone knows it`,
    )
  }
}

// "cloud-first", "customer-centric", "data-driven", "cloud-native", "vendor-agnostic": labels, not meanings.
const buzzword = /^\p{L}+-(first|centric|driven|native|agnostic)$/iu

// A word spoken fewer times than this in SUBTLEX's 51 million words is not an everyday word: "failover" (0),
// "endpoint" (1), "latency" (2), "decommission" (15), against "browser" (9, kept by everydayWords) and "router" (15).
const rareBelow = 20
// Prefixes of hyphenated words that say nothing about whether the word is known: "re-imaged", "multi-factor".
const prefixes = new Set(['re', 'pre', 'post', 'co', 'non', 'un', 'sub', 'anti', 'auto', 'self', 'semi', 'inter', 'cross', 'mid', 'multi', 'e'])

// Words of three letters are left alone: mostly abbreviations ("ids", "ssd") that the acronym rule knows better.
function isRare(part: string, everyday: ReadonlySet<string>): boolean {
  return part.length >= 4 && !prefixes.has(part.toLowerCase()) && spokenCount(part) < rareBelow && !wordForms(part).some((form) => everyday.has(form))
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

/** A word followed at once by its explanation: "ransomware (software that …)", "cutover: the moment we switch". */
function explainedAfter(last: Token): boolean {
  return last.after !== undefined && ['(', ':', '—', '–'].includes(last.after)
}

function reportUncommon(
  tokens: readonly Token[],
  i: number,
  length: number,
  tally: Tally,
  emit: Emit,
  place: (point: Position | undefined) => Position | undefined,
): void {
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

function reportMatch(
  match: Match<Finding>,
  tokens: readonly Token[],
  lines: readonly string[],
  tally: Tally,
  options: SentenceOptions,
  emit: Emit,
  place: (point: Position | undefined) => Position | undefined,
): void {
  const actual = textBetween(lines, match.start, match.end)
  const at = place(match.start)
  const finding = match.value
  if (finding.kind === 'evasive') {
    if (options.passive) emit('plain/passive', at, `\`${actual}\` is a stock phrase that hides what happened`, finding.hint)
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
  if (options.inTitle || tally.explained.has(term.term)) return
  tally.explained.add(term.term)
  if (finding.acronym) tally.acronyms.add(term.term)
  const last = tokens[match.index + match.length - 1]
  // A term followed at once by an explanation — "ransomware (software that …)" or "ransomware: software …" — is explained.
  if (last && explainedAfter(last)) return
  emit('plain/jargon', at, `\`${actual}\` is IT jargon: explain it the first time`, term.explain)
}
