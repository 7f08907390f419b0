import type { SendPlan } from './plan.ts'
import type { DeliveryResult } from './send-loop.ts'
import { redact, type Transport } from './transport.ts'

/** What `--dry-run` prints: what would go out, to how many, how fast, and the first message's headers. */
export function describePlan(plan: SendPlan, transport: Transport, settled: number): string {
  const { recipients, limits } = plan
  const sample = plan.message(recipients[0]!)
  const headers = sample.list as { id: { url: string; comment?: string }; unsubscribe?: { url: string } }
  return [
    `Dry run: would send ${plan.what} via ${transport.describe}`,
    ...(plan.audienceNote ? [`  ${plan.audienceNote}`] : []),
    ...editionsTable(plan),
    `  recipients: ${recipients.length}${settled > 0 ? ` (${settled} already settled in the ledger, ${recipients.length - settled} to send)` : ''}`,
    `  rate: ${limits.rate ? `${+(limits.rate * 60).toFixed(2)} a minute` : 'no limit'}${limits.dailyLimit ? `, daily cap ${limits.dailyLimit} (${limits.from})` : ''}`,
    `  first message: To ${(sample.to as { address: string }).address}, Subject ${String(sample.subject)}, Message-ID ${sample.messageId}`,
    `  List-Id: ${headers.id.comment ? `${headers.id.comment} ` : ''}<${headers.id.url}>`,
    `  List-Unsubscribe: ${headers.unsubscribe ? `<${headers.unsubscribe.url}>` : 'none (no send.unsubscribe_url in settings)'}`,
    'Nothing was sent.',
  ].join('\n')
}

/** One line per edition when the project has departments: department, what its edition holds, who gets it, messages. */
function editionsTable(plan: SendPlan): string[] {
  if (!plan.document.project.departments.departments) return []
  const list = plan.audience.kind === 'departments'
  const rows = plan.editions.map((edition) => {
    const extra = edition.contents.filter((item) => !plan.editions.every((other) => other.contents.includes(item)))
    const who = list
      ? plan.recipients.find((r) => r.department === edition.department?.id)!.email
      : `${edition.recipients.toLocaleString('en')} ${edition.recipients === 1 ? 'person' : 'people'}`
    return [
      edition.department?.name ?? '(general)',
      `${edition.contents.length}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`,
      who,
      edition.recipients.toLocaleString('en'),
    ]
  })
  const head = ['Department', 'Sections', list ? 'List' : 'People', 'Messages']
  const widths = head.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const line = (cells: string[]) =>
    `  ${cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd()}`
  return [`  editions: ${plan.editions.length} (each rendered once)`, line(head), ...rows.map(line)]
}

/** The lines that close a delivery, with the secret hidden; `failed` when any recipient failed or is still pending. */
export function deliverySummary(
  result: DeliveryResult,
  context: { what: string; transport: Transport; secret: string | readonly string[] | undefined; reportHint: string | undefined },
): { text: string; failed: boolean } {
  const lines = [
    `${result.stopped ? 'Stopped' : 'Done'}: ${context.what} — ${result.sent} sent, ${result.failed} failed, ${result.pending} pending of ${result.total} in ${result.seconds.toFixed(1)}s via ${context.transport.describe}.`,
  ]
  if (result.stopped === 'daily-limit') lines.push('The daily cap was reached: the rest stay pending. Rerun the same command after the cap resets.')
  if (result.stopped === 'unreachable') lines.push(`The server is unreachable: ${result.fatalReply}.`, `  ${result.fatalHint}`)
  if (result.stopped === 'fatal')
    lines.push(`Sending stopped: ${result.fatalReply}.`, `  ${result.fatalHint ?? 'Fix the cause, then rerun the same command to resume'}`)
  for (const failure of result.failures.slice(0, 10)) lines.push(`  failed: ${failure.email}: ${failure.reply}`)
  if (result.failures.length > 10) lines.push(`  … and ${result.failures.length - 10} more`)
  if (result.pending > 0 && context.reportHint) lines.push(`${result.pending} still pending: rerun the same command to resume.`)
  if ((result.failed > 0 || result.pending > 0) && context.reportHint) lines.push(`Details: ${context.reportHint}`)
  return { text: redact(lines.join('\n'), context.secret), failed: result.failed > 0 || result.pending > 0 }
}

/** "Nothing to send": every recipient of this send is already settled for this destination. */
export function settledSummary(plan: SendPlan, destination: string, counts: { sent: number; failed: number }): string {
  return `Nothing to send: all ${plan.recipients.length} recipients of ${plan.document.doc.slug} are already settled for ${destination} in ${plan.ledger.shown} (${counts.sent} sent, ${counts.failed} failed).`
}
