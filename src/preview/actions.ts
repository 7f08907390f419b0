import type { Kind } from '../content/load.ts'
import { NewsletterError } from '../errors.ts'
import type { Io } from '../io.ts'
import { approveDocument } from '../project/approve.ts'
import { executeSend } from '../send/execute.ts'
import { openTransport, planSend, secretOf } from '../send/plan.ts'
import { deliverySummary } from '../send/summary.ts'
import { parseSmtpUrl, redact } from '../send/transport.ts'

/** What an action from the preview page (a test send, an approval) printed, and whether it did what was asked. */
export interface ActionResult {
  ok: boolean
  output: string
}

/**
 * Run `work` with an Io that keeps what it prints, as the command would print it; a failure becomes its message (with
 * the errors it lists and its hint) on the page rather than a thrown error.
 */
async function runAction(work: (io: Io) => Promise<boolean>): Promise<ActionResult> {
  const lines: string[] = []
  const io = { out: (text: string) => void lines.push(text), err: (text: string) => void lines.push(text) }
  let ok = false
  try {
    ok = await work(io)
  } catch (error) {
    const known = error instanceof NewsletterError ? error : undefined
    const message = `error: ${error instanceof Error ? error.message : String(error)}${known?.hint ? `\n  ${known.hint}` : ''}`
    lines.push(known?.details ? `${known.details}\n${message}` : message)
  }
  return { ok, output: lines.join('\n') }
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
): Promise<ActionResult> {
  const result = await runAction(async (io) => {
    const plan = await planSend({ slug, audience: { kind: 'test', addresses: [...addresses] } }, { root, env })
    const transport = openTransport(plan)
    try {
      const outcome = await executeSend(plan, { transport, io, tty: false, yes: true })
      if (outcome.kind !== 'delivered') return false
      const summary = deliverySummary(outcome.result, { what: plan.what, transport, secret: secretOf(plan), reportHint: undefined })
      io.out(summary.text)
      return !summary.failed
    } finally {
      transport.close()
    }
  })
  // Every failure goes through the redaction too, a malformed SMTP_URL's included.
  return { ...result, output: redact(result.output, smtpSecret(env.SMTP_URL)) }
}

/** The same approval as `newsletter approve <slug> --by NAME` (unsigned): refused, listing them, when the document has errors. */
export function approveFromPreview(root: string, kind: Kind, slug: string, by: string): Promise<ActionResult> {
  return runAction(async (io) => (await approveDocument(slug, by, io, root, { kind })) === 0)
}

function smtpSecret(smtpUrl: string | undefined): string | undefined {
  try {
    return smtpUrl ? parseSmtpUrl(smtpUrl).secret : undefined
  } catch {
    // A malformed SMTP_URL is reported by the send itself, which never repeats it.
    return undefined
  }
}
