import type { Paragraph, Word } from 'nlcst'
import { toString } from 'nlcst-to-string'
import { syllable } from 'syllable'
import type { Position } from '../errors.ts'
import type { Emit, Limits } from './rules.ts'
import type { Tally } from './sentence.ts'

type Place = (point: Position | undefined) => Position | undefined

const syllables = new Map<string, number>()

// An acronym is read letter by letter ("MFA" is three syllables), so dense acronyms raise the grade as they should.
// Counts are kept: `syllable` runs dozens of patterns per word, and documents repeat their words.
function syllablesOf(word: string): number {
  let count = syllables.get(word)
  if (count === undefined) syllables.set(word, (count = /^[A-Z]{2,}s?$/.test(word) ? word.replace(/s$/, '').length : syllable(word)))
  return count
}

// Flesch–Kincaid grade level: https://en.wikipedia.org/wiki/Flesch%E2%80%93Kincaid_readability_tests
function gradeOf(words: number, sentences: number, syllables: number): number {
  return 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
}

/** `plain/sentence-length` for one sentence's words, which also count towards the document's reading grade. */
export function checkSentenceLength(words: readonly Word[], limits: Limits, tally: Tally, emit: Emit, place: Place): void {
  let count = 0
  for (const word of words) count += syllablesOf(toString(word))
  tally.sentences += 1
  tally.words += words.length
  tally.syllables += count
  if (words.length === 0) return
  const at = place(words[0]!.position?.start)
  const grade = gradeOf(words.length, 1, count)
  if (grade > limits.readabilityGrade && at) tally.hard.push({ place: at, grade })
  if (words.length > limits.sentenceWords) {
    emit(
      'plain/sentence-length',
      at,
      `This sentence has ${words.length} words; keep sentences to ${limits.sentenceWords} words or fewer`,
      'Split it in two, or turn a list of things into a bulleted list',
    )
  }
}

/** `plain/paragraph-length`: a paragraph of more words than the limit. */
export function checkParagraphLength(paragraph: Paragraph, limits: Limits, emit: Emit, place: Place): void {
  let count = 0
  let first: Word | undefined
  for (const sentence of paragraph.children) {
    if (sentence.type !== 'SentenceNode') continue
    for (const node of sentence.children) {
      if (node.type !== 'WordNode') continue
      count += 1
      first ??= node
    }
  }
  if (count > limits.paragraphWords) {
    emit(
      'plain/paragraph-length',
      place(first?.position?.start),
      `This paragraph has ${count} words; keep paragraphs to ${limits.paragraphWords} words or fewer`,
      'Break it up: one idea per paragraph, or a short list',
    )
  }
}

/** `plain/readability`: the document's reading grade, once every sentence is counted, pointing to its hardest lines. */
export function checkReadability(tally: Tally, limits: Limits, emit: Emit, gradeAt: Position | undefined): void {
  if (tally.sentences === 0 || tally.words === 0) return
  const grade = gradeOf(tally.words, tally.sentences, tally.syllables)
  if (grade <= limits.readabilityGrade) return
  const hardest = tally.hard.sort((a, b) => b.grade - a.grade).slice(0, 5)
  const lines = [...new Set(hardest.map((entry) => entry.place.line))].sort((a, b) => a - b)
  emit(
    'plain/readability',
    gradeAt,
    `Reading grade ${grade.toFixed(1)} is above the target of ${limits.readabilityGrade}`,
    `Use shorter sentences and shorter words${lines.length > 0 ? `; the hardest sentences are on line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}` : ''}`,
  )
}
