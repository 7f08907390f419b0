import { toString } from 'mdast-util-to-string'
import { findProject, projectLabels, slipOf, type PreviousIssue } from '../content/project-history.ts'
import type { Doc } from '../content/types.ts'
import { parseMarkdown } from '../markdown/parse.ts'
import type { Emit } from './rules.ts'

// Inbox previews (preheaders) show about 140 characters before cutting the rest.
const summaryChars = 140
const driftDays = 60
const dayMs = 86_400_000

/** Things that are valid but probably wrong: a restart nobody is told about, a threat with nowhere to report it, … */
export function checkContentSense(doc: Doc, emit: Emit, today: Date): void {
  const { meta } = doc
  // Count what the inbox shows: the text, not the Markdown around links and emphasis.
  const summary = toString(parseMarkdown(meta.summary))
  if (summary.length > summaryChars) {
    emit(
      'sense/summary-length',
      doc.where('summary'),
      `The summary is ${summary.length} characters; inbox previews cut it after ${summaryChars}`,
      'Put the most important point first and shorten the rest',
    )
  }
  // Published documents are history; only a draft or one in review dated far from today is likely a typo.
  if (meta.status !== 'approved') {
    const days = Math.round((Date.parse(`${meta.date}T00:00:00Z`) - Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())) / dayMs)
    if (Math.abs(days) > driftDays) {
      emit(
        'sense/date',
        doc.where('date'),
        `The date ${meta.date} is ${Math.abs(days)} days in the ${days > 0 ? 'future' : 'past'}`,
        'Check the year and month',
      )
    }
  }
  if (meta.kind !== 'issue') return
  meta.patches.forEach((patch, i) => {
    if (patch.restart === true && !patch.action) {
      emit(
        'sense/restart-action',
        doc.where(`patches.${i}.restart`),
        `The patch \`${patch.title}\` needs a restart but does not say what to do`,
        'Add `action:` saying when to save work and restart',
      )
    }
  })
  if (meta.threat && !meta.threat.report) {
    emit(
      'sense/threat-report',
      doc.where('threat'),
      `The threat \`${meta.threat.name}\` does not say how to report it`,
      'Add `report: mailto:security@example.com` (or an https: link to the report form)',
    )
  }
}

/**
 * A project whose status got worse or whose expected date moved later than in the previous issue, with nothing in
 * `why` to say what went wrong and the plan. The warning is on the project's entry.
 */
export function checkProjectSlips(doc: Doc, previous: PreviousIssue | undefined, emit: Emit): void {
  if (doc.meta.kind !== 'issue' || !previous) return
  doc.meta.projects.forEach((project, i) => {
    const before = findProject(project, previous.projects)
    const slip = before && !project.why && slipOf(before, project)
    if (!slip) return
    const what = [
      slip.status && `went from ${projectLabels[slip.status.from].toLowerCase()} to ${projectLabels[slip.status.to].toLowerCase()}`,
      slip.eta && `is expected ${slip.eta.to} instead of ${slip.eta.from}`,
    ].filter(Boolean)
    emit(
      'sense/project-slip',
      doc.where(`projects.${i}`),
      `The project \`${project.name}\` ${what.join(' and ')} since ${previous.slug}, but does not say why`,
      'Add `why:` saying what went wrong and what the plan is now',
    )
  })
}
