import { approvedView } from './approved-view.ts'
import type { Numbers } from './numbers.ts'
import { isPublished } from './publish.ts'
import type { Doc, Issue } from './types.ts'

/** One issue's figures as later issues and the `/numbers/` page compare them. */
export interface IssueFigures {
  issue: number
  slug: string
  date: string
  numbers?: Numbers
  /** The ticket category its top question answered (`top_question.category`). */
  answered?: string
}

/**
 * The figures of an issue readers may see: approved and unchanged since (see approvedView), or nothing. Comparisons
 * in other issues and the archive's `/numbers/` read only these, so an unapproved figure is never published.
 */
export function approvedFigures(doc: Doc, text: string): IssueFigures | undefined {
  if (doc.meta.kind !== 'issue' || !isPublished(doc.meta)) return undefined
  const approved = approvedView(doc, text).doc as Issue | undefined
  if (!approved) return undefined
  const { issue, date, numbers, top_question: question } = approved.meta
  return { issue, slug: doc.slug, date, numbers, answered: question?.category }
}

/** The issues before `issue` that have numbers, oldest first. */
export function earlierFigures(figures: readonly IssueFigures[], issue: number): IssueFigures[] {
  return figures.filter((entry) => entry.issue < issue && entry.numbers).sort((a, b) => a.issue - b.issue)
}
