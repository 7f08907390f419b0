import type { Counts, LedgerRow } from './ledger.ts'

/** How `newsletter report` prints. */
export type Format = 'text' | 'json' | 'csv'

const label = { pending: 'pending', sending: 'in doubt', failed: 'failed', sent: 'sent' } as const

/** Counts, then every recipient not accepted (failed, pending, in doubt) with the last server reply. */
export function formatReport(slug: string, counts: Counts, rows: readonly LedgerRow[], format: Format): string {
  const open = rows.filter((row) => row.state !== 'sent')
  if (format === 'json') {
    return JSON.stringify({ slug, counts, recipients: open.map((row) => ({ ...row, state: label[row.state] })) }, null, 2)
  }
  if (format === 'csv') {
    return ['email,state,attempts,reply,updated_at', ...open.map((row) => [row.email, label[row.state], String(row.attempts), row.reply ?? '', row.updated_at].map(csvField).join(','))].join('\n')
  }
  const lines = [`${slug}: ${counts.sent} sent, ${counts.failed} failed, ${counts.pending} pending, ${counts.inDoubt} in doubt (of ${counts.total})`]
  for (const row of open) lines.push(`  ${label[row.state]}: ${row.email} (${row.attempts} attempt${row.attempts === 1 ? '' : 's'})${row.reply ? `: ${row.reply}` : ''}`)
  if (counts.pending + counts.inDoubt > 0) lines.push('Pending and in-doubt recipients are sent when the same send command runs again.')
  return lines.join('\n')
}

function csvField(value: string): string {
  // A leading = + - @ makes spreadsheets evaluate the cell (CSV injection): prefix with a quote.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
