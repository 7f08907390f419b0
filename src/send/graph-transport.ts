import { setTimeout as sleep } from 'node:timers/promises'
import nodemailer from 'nodemailer'
import { dkimOptions, redact, SendError, type AccessTokens, type SmtpOptions, type Transport } from './transport.ts'

/** Where Microsoft Graph is when `GRAPH_URL` does not say. */
export const defaultGraphUrl = 'https://graph.microsoft.com/v1.0'

/** Requests Graph serves at once for one mailbox (learn.microsoft.com/graph/throttling-limits, "Outlook service limits"). */
export const graphMailboxConcurrency = 4

/** How to reach Graph, and as whom. */
export interface GraphOptions {
  /** `https://graph.microsoft.com/v1.0`, or a test server. */
  url: string
  /** The mailbox that sends: the `from` address unless `send.mailbox` says otherwise. */
  mailbox: string
  dkim?: SmtpOptions['dkim']
}

/**
 * Messages posted to `POST {url}/users/{mailbox}/sendMail` as base64 MIME, built by the same nodemailer composer as
 * the SMTP path (headers, threading and the calendar part are identical). 202 is accepted; 429 and 503 wait for
 * Retry-After, every request to the mailbox with them; a refused token is fetched again once; 400 and 403 are final.
 */
export function graphTransport(options: GraphOptions, tokens: AccessTokens): Transport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows', dkim: dkimOptions(options.dkim) })
  const endpoint = `${options.url.replace(/\/+$/, '')}/users/${encodeURIComponent(options.mailbox)}/sendMail`
  const server = new URL(options.url).host
  const gate = new Gate(graphMailboxConcurrency)
  const post = (mime: string, token: string) =>
    fetch(endpoint, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' },
      body: mime,
      signal: AbortSignal.timeout(60_000),
    })
  return {
    describe: `Microsoft Graph ${server} as ${options.mailbox}`,
    destination: `graph ${options.mailbox.toLowerCase()}`,
    server,
    async send(message) {
      const mime = ((await composer.sendMail(message)).message as Buffer).toString('base64')
      await gate.acquire()
      try {
        let token = await tokens.token()
        let response = await post(mime, token.value)
        if (response.status === 401) {
          await response.body?.cancel()
          token = await tokens.token(token.value)
          response = await post(mime, token.value)
        }
        if (response.status === 202) {
          await response.body?.cancel()
          const id = response.headers.get('request-id')
          return `202 Accepted${id ? ` (request-id ${id})` : ''}`
        }
        throw await failure(response, gate, tokens)
      } catch (error) {
        if (error instanceof SendError) throw error
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message
        throw new SendError(redact(`no answer from ${server}: ${cause}`, tokens.secrets()), { connection: true })
      } finally {
        gate.release()
      }
    },
    close: () => composer.close(),
  }
}

/** What a refused request means for this recipient and the run, with Graph's own error code and message. */
async function failure(response: Response, gate: Gate, tokens: AccessTokens): Promise<SendError> {
  const { code, message } = await graphError(response)
  const said = redact(`${response.status} ${code}: ${message}`, tokens.secrets())
  const status = response.status
  if (status === 429 || status === 503) {
    const wait = retryAfter(response.headers.get('retry-after'))
    // Graph throttles the mailbox, not the request: everything else waits too.
    gate.holdFor(wait)
    return new SendError(said, { tooFast: true, retryAfter: wait })
  }
  if (status === 401)
    return new SendError(said, {
      fatal: true,
      hint: 'Graph refused a new token too: check that the app registration has the Mail.Send application permission with admin consent, then rerun to resume',
    })
  // Access denied is about the app, not this recipient: every message would be refused the same way.
  if (status === 403 && /AccessDenied|Authorization_RequestDenied/i.test(code))
    return new SendError(said, {
      fatal: true,
      hint: 'Grant the app Mail.Send and allow it this mailbox (application access policy or RBAC for Applications; see README.md, "Sending from Microsoft 365"), or set send.mailbox, then rerun to resume',
    })
  if (status === 400 || status === 403 || status === 413) return new SendError(said, { permanent: true })
  return new SendError(said, { connection: status >= 500 })
}

async function graphError(response: Response): Promise<{ code: string; message: string }> {
  const text = await response.text().catch(() => '')
  try {
    const { error } = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }
    if (error && typeof error.code === 'string') return { code: error.code, message: typeof error.message === 'string' ? error.message : '' }
  } catch {
    // Not JSON (a proxy's error page): the status text says enough.
  }
  return { code: response.statusText || 'Error', message: text.slice(0, 200).replace(/\s+/g, ' ').trim() }
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3), in ms; 10 s when absent or unreadable. */
function retryAfter(value: string | null): number {
  if (value === null) return 10_000
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? 10_000 : Math.max(0, at - Date.now())
}

/** At most `size` requests at once, and none while a Retry-After holds. */
class Gate {
  private active = 0
  private readonly queue: (() => void)[] = []
  private heldUntil = 0

  constructor(private readonly size: number) {}

  async acquire(): Promise<void> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.queue.push(resolve))
    else this.active++
    const wait = this.heldUntil - Date.now()
    if (wait > 0) await sleep(wait)
  }

  release(): void {
    const next = this.queue.shift()
    if (next) next()
    else this.active--
  }

  holdFor(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, Date.now() + ms)
  }
}
