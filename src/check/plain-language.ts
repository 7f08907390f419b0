import type { Paragraph, Root as NlcstRoot, Sentence, Word } from 'nlcst'
import { ParseEnglish } from 'parse-english'
import remarkRetext from 'remark-retext'
import { unified, type Processor } from 'unified'
import { VFile } from 'vfile'
import type { Position } from '../errors.ts'
import { checkAcronym, spelledOut } from './acronym-rule.ts'
import { checkFormal } from './formal-rule.ts'
import { checkParagraphLength, checkReadability, checkSentenceLength } from './length-rule.ts'
import type { Lexicon } from './lexicon.ts'
import { headingLinesOf, nameTokens, quotedText } from './names-and-quotes.ts'
import { checkPassive } from './passive-rule.ts'
import { checkPhrases } from './phrase-rule.ts'
import { sentenceTokens } from './phrases.ts'
import { checkRareWord } from './rare-word-rule.ts'
import type { Emit, Limits } from './rules.ts'
import { placeAt, type Segment } from './segments.ts'
import { createTally, type SentenceContext, type Tally } from './sentence.ts'

/** How a document is checked. */
export interface PlainOptions {
  /** Where the reading-grade message points (the title). */
  gradeAt?: Position
}

// Turns a Markdown tree into an English sentence tree with the file's positions. Built once, with one parser: neither
// keeps state between documents.
const toNlcst = unified()
  .use(remarkRetext, new ParseEnglish() as unknown as Processor<NlcstRoot>)
  .freeze()

/**
 * Plain-language checks over every segment of a document, in reading order: jargon, simpler words, unexpanded
 * acronyms, evasive wording and passives, long sentences and paragraphs, then the document's reading grade. Each
 * detector is its own file; this one walks the sentences and hands each to them.
 */
export async function checkPlainLanguage(
  segments: readonly Segment[],
  lexicon: Lexicon,
  limits: Limits,
  emit: Emit,
  options: PlainOptions = {},
): Promise<void> {
  const tally = createTally()
  for (const segment of segments) {
    const tree = (await toNlcst.run(segment.tree, new VFile({ value: segment.text }))) as unknown as NlcstRoot
    const place = (point: Position | undefined) => (point ? placeAt(segment, point) : undefined)
    const lines = segment.text.split('\n')
    const quoted = quotedText(segment.tree, segment.text)
    const headings = headingLinesOf(segment.tree)
    forEachParagraph(tree, (paragraph) => {
      for (const sentence of paragraph.children) {
        if (sentence.type !== 'SentenceNode') continue
        const words = sentence.children.filter((node): node is Word => node.type === 'WordNode')
        checkSentenceLength(words, limits, tally, emit, place)
        const line = words[0]?.position?.start.line ?? 0
        const inTitle = segment.headingLines?.has(line) ?? false
        checkSentence(sentence, { lines, lexicon, tally, inTitle, emit, place }, quoted, inTitle || headings.has(line))
      }
      checkParagraphLength(paragraph, limits, emit, place)
    })
  }
  checkReadability(tally, limits, emit, options.gradeAt)
}

// Paragraphs hold sentences, which hold the words: no need to walk down to every word to find them.
function forEachParagraph(node: NlcstRoot | Paragraph | NlcstRoot['children'][number], each: (paragraph: Paragraph) => void): void {
  if (node.type === 'ParagraphNode') each(node)
  else if ('children' in node && node.type !== 'SentenceNode' && node.type !== 'WordNode') for (const child of node.children) forEachParagraph(child, each)
}

type Shared = Pick<SentenceContext, 'lines' | 'lexicon' | 'tally' | 'inTitle' | 'emit' | 'place'>

function checkSentence(sentence: Sentence, shared: Shared, isQuoted: (point: Position) => boolean, heading: boolean): void {
  const tokens = sentenceTokens(sentence)
  const quoted = new Set<number>()
  tokens.forEach((token, i) => {
    if (isQuoted(token.start)) quoted.add(i)
  })
  const context: SentenceContext = { ...shared, tokens, quoted, names: nameTokens(tokens, heading), spelled: spelledOut(tokens) }
  const tally: Tally = shared.tally
  const readBefore = tally.read.length
  for (const token of tokens) tally.read.push(token)
  const matched = checkPhrases(context)
  checkPassive(context, matched)
  checkFormal(context, matched)
  for (let i = 0; i < tokens.length; i++) {
    checkRareWord(context, i, matched)
    checkAcronym(context, i, matched, readBefore)
  }
}
