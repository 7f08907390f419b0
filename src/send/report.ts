import type { Counts, LedgerRow } from './ledger.ts'

/** How `newsletter report` prints. */
export type Format = 'text' | 'json' | 'csv'

/** What the ledger holds about one slug's send to one destination (`outbox`, `smtp host:port`). */
export interface DestinationReport {
  destination: string
  /** Which revision of a notice, when it has been sent more than once. */
  revision?: number
  counts: Counts
  rows: readonly LedgerRow[]
}

const label = { pending: 'pending', sending: 'in doubt', failed: 'failed', sent: 'sent' } as const

/** Counts per destination, then every recipient not accepted (failed, pending, in doubt) with the last server reply. */
export function formatReport(slug: string, sends: readonly DestinationReport[], format: Format): string {
  const open = (rows: readonly LedgerRow[]) => rows.filter((row) => row.state !== 'sent')
  if (format === 'json') {
    return JSON.stringify(
      {
        slug,
        destinations: sends.map(({ destination, revision, counts, rows }) => ({
          destination,
          ...(revision === undefined ? {} : { revision }),
          counts,
          recipients: open(rows).map((row) => ({ ...row, state: label[row.state] })),
        })),
      },
      null,
      2,
    )
  }
  if (format === 'csv') {
    const lines = sends.flatMap(({ destination, revision, rows }) =>
      open(rows).map((row) =>
        [
          revision === undefined ? destination : `${destination} (revision ${revision})`,
          row.email,
          label[row.state],
          String(row.attempts),
          row.reply ?? '',
          row.updated_at,
        ]
          .map(csvField)
          .join(','),
      ),
    )
    return ['destination,email,state,attempts,reply,updated_at', ...lines].join('\n')
  }
  const lines: string[] = []
  for (const { destination, revision, counts, rows } of sends) {
    const trial = destination === 'outbox' ? ' (a trial: .eml files, nobody was mailed)' : ''
    lines.push(
      `${slug}${revision === undefined ? '' : ` revision ${revision}`} to ${destination}${trial}: ${counts.sent} sent, ${counts.failed} failed, ${counts.pending} pending, ${counts.inDoubt} in doubt (of ${counts.total})`,
    )
    for (const row of open(rows))
      lines.push(`  ${label[row.state]}: ${row.email} (${row.attempts} attempt${row.attempts === 1 ? '' : 's'})${row.reply ? `: ${row.reply}` : ''}`)
  }
  if (sends.some(({ counts }) => counts.pending + counts.inDoubt > 0))
    lines.push('Pending and in-doubt recipients are sent when the same send command runs again.')
  return lines.join('\n')
}

function csvField(value: string): string {
  // A leading = + - @ makes spreadsheets evaluate the cell (CSV injection): prefix with a quote.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
