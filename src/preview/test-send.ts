import { NewsletterError } from '../errors.ts'
import { executeSend } from '../send/execute.ts'
import { openTransport, planSend, secretOf } from '../send/plan.ts'
import { deliverySummary } from '../send/summary.ts'
import { parseSmtpUrl, redact } from '../send/transport.ts'

/** What a test send from the preview page printed, and whether every message was accepted. */
export interface TestSendResult {
  ok: boolean
  output: string
}

/**
 * The same test send as `newsletter send <slug> --to ADDR,…`, planned and carried out by the same two steps: subject
 * starts with [TEST], any status, only to allowed domains, nothing recorded in the ledger; through `SMTP_URL` from
 * `env`, or into the outbox when it is unset. The output never holds the SMTP password.
 */
export async function sendTestFromPreview(
  root: string,
  slug: string,
  addresses: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<TestSendResult> {
  const lines: string[] = []
  const io = { out: (text: string) => void lines.push(text), err: (text: string) => void lines.push(text) }
  let ok = false
  try {
    const plan = await planSend({ slug, audience: { kind: 'test', addresses: [...addresses] } }, { root, env })
    const transport = openTransport(plan)
    try {
      const outcome = await executeSend(plan, { transport, io, tty: false, yes: true })
      if (outcome.kind === 'delivered') {
        const summary = deliverySummary(outcome.result, { what: plan.what, transport, secret: secretOf(plan), reportHint: undefined })
        lines.push(summary.text)
        ok = !summary.failed
      }
    } finally {
      transport.close()
    }
  } catch (error) {
    // Shown on the page rather than thrown: every failure goes through the redaction below.
    const known = error instanceof NewsletterError ? error : undefined
    const message = `error: ${error instanceof Error ? error.message : String(error)}${known?.hint ? `\n  ${known.hint}` : ''}`
    lines.push(known?.details ? `${known.details}\n${message}` : message)
  }
  return { ok, output: redact(lines.join('\n'), smtpSecret(env.SMTP_URL)) }
}

function smtpSecret(smtpUrl: string | undefined): string | undefined {
  try {
    return smtpUrl ? parseSmtpUrl(smtpUrl).secret : undefined
  } catch {
    // A malformed SMTP_URL is reported by the send itself, which never repeats it.
    return undefined
  }
}
