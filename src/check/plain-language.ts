import type { Paragraph, Root as NlcstRoot, Sentence, Word } from 'nlcst'
import { search } from 'nlcst-search'
import { toString } from 'nlcst-to-string'
import remarkRetext from 'remark-retext'
import retextEnglish from 'retext-english'
import retextReadability from 'retext-readability'
import retextSimplify from 'retext-simplify'
import { syllable } from 'syllable'
import { unified, type Processor } from 'unified'
import { visit } from 'unist-util-visit'
import { VFile } from 'vfile'
import type { Position } from '../errors.ts'
import type { Glossary } from './glossary.ts'
import type { Emit, Limits } from './rules.ts'
import { placeAt, type Segment } from './segments.ts'

/** What the whole document has added up to, for its reading grade. */
interface Tally {
  words: number
  sentences: number
  syllables: number
  /** Acronyms already seen (expanded or warned about). */
  acronyms: Set<string>
  /** `explain` terms already warned about: explaining once is enough. */
  explained: Set<string>
  hard: Position[]
}

/**
 * Plain-language checks over every segment of a document, in reading order: simpler phrases, glossary jargon,
 * unexpanded acronyms, long sentences and paragraphs, then the document's reading grade at `gradeAt`.
 */
export async function checkPlainLanguage(segments: readonly Segment[], glossary: Glossary, limits: Limits, emit: Emit, gradeAt: Position | undefined): Promise<void> {
  const tally: Tally = { words: 0, sentences: 0, syllables: 0, acronyms: new Set(), explained: new Set(), hard: [] }
  for (const segment of segments) {
    const file = new VFile({ value: segment.text })
    const retext = unified()
      .use(retextEnglish)
      .use(retextSimplify, { ignore: glossary.plainEnough })
      // US school grade + 5 is the reading age retext-readability expects.
      .use(retextReadability, { age: limits.readabilityGrade + 5 })
      .use(retextPlain, { glossary, limits, tally })
    // The retext processor's types say it compiles to a tree; remark-retext only runs it, so the output type is moot.
    const processor = unified().use(remarkRetext, retext as unknown as Processor<NlcstRoot>)
    await processor.run(segment.tree, file)
    for (const message of file.messages) {
      const place = message.line ? placeAt(segment, { line: message.line, column: message.column ?? 1 }) : undefined
      if (message.source === 'retext-readability') {
        if (place) tally.hard.push(place)
      } else if (message.source === 'retext-simplify') {
        emit('plain/simpler', place, message.reason.replace(/^Unexpected /, 'Prefer plain words: '))
      } else if (message.ruleId) {
        emit(message.ruleId as Parameters<Emit>[0], place, message.reason, message.note)
      }
    }
  }
  if (tally.sentences === 0 || tally.words === 0) return
  // Flesch–Kincaid grade level: https://en.wikipedia.org/wiki/Flesch%E2%80%93Kincaid_readability_tests
  const grade = 0.39 * (tally.words / tally.sentences) + 11.8 * (tally.syllables / tally.words) - 15.59
  if (grade > limits.readabilityGrade) {
    const lines = [...new Set(tally.hard.map((place) => place.line))].slice(0, 5)
    emit(
      'plain/readability',
      gradeAt,
      `Reading grade ${grade.toFixed(1)} is above the target of ${limits.readabilityGrade}`,
      `Use shorter sentences and shorter words${lines.length > 0 ? `; the hardest sentences are on line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}` : ''}`,
    )
  }
}

interface PlainOptions {
  glossary: Glossary
  limits: Limits
  tally: Tally
}

// A term followed at once by an explanation — "ransomware (software that …)" or "ransomware: software …" — is explained.
function explainedInPlace(length: number, index: number | undefined, parent: { children: NlcstRoot['children'] } | undefined): boolean {
  if (index === undefined || !parent) return false
  const next = parent.children.slice(index + length).find((node) => node.type !== 'WhiteSpaceNode')
  return next?.type === 'PunctuationNode' && ['(', ':', '—', '–'].includes(toString(next))
}

// Messages made here carry a rule id from the table; checkPlainLanguage passes them on through `emit`.
function retextPlain({ glossary, limits, tally }: PlainOptions) {
  const byPhrase = new Map(glossary.terms.map((term) => [term.term, term]))
  return (tree: NlcstRoot, file: VFile) => {
    search(tree, [...byPhrase.keys()], (match, index, parent, phrase) => {
      const term = byPhrase.get(phrase)!
      const actual = toString(match)
      const place = match[0]?.position?.start
      if (term.use) {
        file.message(`\`${actual}\` is IT jargon: say ${term.use}`, { place, ruleId: 'plain/jargon' })
      } else if (!tally.explained.has(phrase)) {
        tally.explained.add(phrase)
        if (explainedInPlace(match.length, index, parent)) return
        const message = file.message(`\`${actual}\` is IT jargon: explain it the first time`, { place, ruleId: 'plain/jargon' })
        message.note = term.explain
      }
    })
    const jargon = new Set(glossary.terms.map((term) => term.term.toUpperCase()))
    visit(tree, 'ParagraphNode', (paragraph: Paragraph) => {
      let paragraphWords = 0
      let firstWord: Word | undefined
      for (const sentence of paragraph.children) {
        if (sentence.type !== 'SentenceNode') continue
        const words = sentence.children.filter((node): node is Word => node.type === 'WordNode')
        paragraphWords += words.length
        firstWord ??= words[0]
        tally.sentences += 1
        tally.words += words.length
        for (const word of words) tally.syllables += syllable(toString(word))
        if (words.length > limits.sentenceWords) {
          const message = file.message(`This sentence has ${words.length} words; keep sentences to ${limits.sentenceWords} words or fewer`, { place: words[0]?.position?.start, ruleId: 'plain/sentence-length' })
          message.note = 'Split it in two, or turn a list of things into a bulleted list'
        }
        checkAcronyms(sentence, words, file, tally, glossary, jargon)
      }
      if (paragraphWords > limits.paragraphWords) {
        const message = file.message(`This paragraph has ${paragraphWords} words; keep paragraphs to ${limits.paragraphWords} words or fewer`, { place: firstWord?.position?.start, ruleId: 'plain/paragraph-length' })
        message.note = 'Break it up: one idea per paragraph, or a short list'
      }
    })
  }
}

function checkAcronyms(sentence: Sentence, words: Word[], file: VFile, tally: Tally, glossary: Glossary, jargon: Set<string>): void {
  const text = toString(sentence)
  for (const word of words) {
    const value = toString(word)
    const acronym = /^([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)s?$/.exec(value)?.[1]
    if (!acronym || tally.acronyms.has(acronym) || glossary.known.has(acronym) || jargon.has(acronym)) continue
    tally.acronyms.add(acronym)
    // "Multi-factor authentication (MFA)" and "MFA (multi-factor authentication)" both count as expanded.
    if (text.includes(`(${acronym})`) || text.includes(`${acronym} (`)) continue
    const message = file.message(`\`${acronym}\` is not spelled out the first time it is used`, { place: word.position?.start, ruleId: 'plain/acronym' })
    message.note = `Write it out once, like "words in full (${acronym})", or add it to known_acronyms in the glossary if everyone knows it`
  }
}
