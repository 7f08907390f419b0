import { runSend } from '../commands/send.ts'
import { NewsletterError } from '../errors.ts'
import { parseSmtpUrl, redact } from '../send/transport.ts'

/** What a test send from the preview page printed, and whether every message was accepted. */
export interface TestSendResult {
  ok: boolean
  output: string
}

/**
 * The same test send as `newsletter send <slug> --to ADDR,…`: subject starts with [TEST], any status, nothing
 * recorded in the ledger; through `SMTP_URL` from `env`, or into the outbox when it is unset. The output never
 * holds the SMTP password.
 */
export async function sendTestFromPreview(
  root: string,
  slug: string,
  addresses: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<TestSendResult> {
  const lines: string[] = []
  const io = { out: (text: string) => void lines.push(text), err: (text: string) => void lines.push(text) }
  let code: number
  try {
    code = await runSend({ to: addresses.join(','), yes: true }, [slug], io, { root, env, tty: false })
  } catch (error) {
    // Shown on the page rather than thrown: every failure goes through the redaction below.
    const hint = error instanceof NewsletterError && error.hint ? `\n  ${error.hint}` : ''
    lines.push(`error: ${error instanceof Error ? error.message : String(error)}${hint}`)
    code = 2
  }
  return { ok: code === 0, output: redact(lines.join('\n'), secretOf(env.SMTP_URL)) }
}

function secretOf(smtpUrl: string | undefined): string | undefined {
  try {
    return smtpUrl ? parseSmtpUrl(smtpUrl).secret : undefined
  } catch {
    // A malformed SMTP_URL is reported by the send itself, which never repeats it.
    return undefined
  }
}
