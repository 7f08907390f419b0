import { toString } from 'mdast-util-to-string'
import { youToldUsTitle } from '../content/new-doc.ts'
import type { Doc } from '../content/types.ts'
import type { Emit } from './rules.ts'

/** The issue before another one, and how many answered its feedback buttons. */
export type PreviousAnswers = (issue: number) => { number: number; answers: number } | undefined

/**
 * `sense/you-told-us`: readers answered the previous issue, and this draft does not say what IT heard. Published
 * issues are history and are left alone. The warning sits on the first `##` heading, where the section would go.
 */
export function checkYouToldUs(doc: Doc, emit: Emit, previousAnswers: PreviousAnswers): void {
  const { meta } = doc
  if (meta.kind !== 'issue' || meta.status === 'approved') return
  const previous = previousAnswers(meta.issue)
  if (!previous || previous.answers === 0) return
  const headings = doc.body.children.filter((node) => node.type === 'heading' && node.depth === 2)
  const wanted = youToldUsTitle.toLowerCase()
  if (headings.some((heading) => toString(heading).trim().toLowerCase().startsWith(wanted))) return
  const first = headings[0]?.position?.start
  emit(
    'sense/you-told-us',
    first ? { line: first.line, column: first.column } : doc.where('issue'),
    `${previous.answers} ${previous.answers === 1 ? 'person' : 'people'} answered issue ${previous.number}'s "Was this useful?", and this issue has no "${youToldUsTitle}" section`,
    `Add "## ${youToldUsTitle}": what readers said and what IT did about it (\`newsletter new\` writes it with the figures)`,
  )
}
