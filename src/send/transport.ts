import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer'
import { NewsletterError } from '../errors.ts'

/** What the send loop talks to: SMTP, the `.eml` outbox and the tests' smtp-server all fit it. */
export interface Transport {
  /** Where mail goes, without secrets: `smtp://it-news@smtp.example.com:587`, `outbox dist/outbox/2026-11/`. */
  describe: string
  /** What the ledger keys a send by, so a trial never settles a real send: `outbox`, `smtp host:port`. */
  destination: string
  /** The server (`host:port`) or folder messages go to, for messages about it. */
  server: string
  /** Hand over one message; resolves with the server's reply once it accepted it, rejects otherwise. */
  send(message: Mail.Options): Promise<string>
  close(): void
}

/** SMTP connection options from the settings file (times in milliseconds). */
export interface SmtpOptions {
  /** Connections in the pool. */
  connections: number
  connectionTimeout?: number
  greetingTimeout?: number
  socketTimeout?: number
  /** Refuse to send the password over an unencrypted connection (default true). */
  requireTls?: boolean
  dkim?: { domainName: string; keySelector: string; privateKey: string }
}

/** The parts of `SMTP_URL` that are not secret, and the password to redact everywhere. */
export interface SmtpUrl {
  url: URL
  secret: string | undefined
}

/** Parse `SMTP_URL` (`smtp://user:pass@host:587`, `smtps://…`); an error never repeats the URL. */
export function parseSmtpUrl(value: string): SmtpUrl {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    // The URL parser's error repeats the input, password included: it is not kept as the cause.
    throw new NewsletterError('SMTP_URL is not a URL', 'refused', undefined, {
      hint: 'Write it like smtp://user:password@smtp.example.com:587 or smtps://…:465 (characters like @ or : in the password are %-encoded)',
    })
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new NewsletterError(`SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`, 'refused')
  }
  return { url, secret: url.password ? decodeURIComponent(url.password) : undefined }
}

/** Replace every occurrence of the secret (raw or %-encoded) with `mask`. */
export function redact(text: string, secret: string | undefined, mask = '****'): string {
  if (!secret) return text
  let out = text
  for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(mask)
  return out
}

/** A pooled SMTP transport: `connections` connections, timeouts on connect, greeting and every socket read. */
export function smtpTransport({ url, secret }: SmtpUrl, options: SmtpOptions): Transport {
  const secure = url.protocol === 'smtps:'
  const port = Number(url.port) || (secure ? 465 : 587)
  const user = url.username ? decodeURIComponent(url.username) : undefined
  const transporter = nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port,
    secure,
    requireTLS: !secure && (options.requireTls ?? true),
    auth: user ? { user, pass: secret } : undefined,
    maxConnections: options.connections,
    maxMessages: Infinity,
    connectionTimeout: options.connectionTimeout ?? 30_000,
    greetingTimeout: options.greetingTimeout ?? 30_000,
    socketTimeout: options.socketTimeout ?? 60_000,
    dkim: options.dkim,
  })
  const server = `${url.hostname}:${port}`
  return {
    describe: `${url.protocol}//${user ? `${user}@` : ''}${server}`,
    destination: `smtp ${server}`,
    server,
    async send(message) {
      try {
        const info = await transporter.sendMail(message)
        return info.response
      } catch (error) {
        throw toSendError(error, secret, server)
      }
    },
    close: () => transporter.close(),
  }
}

/** A transport that writes each message as `<dir>/<address>.eml` (written beside, then renamed: never half a file). */
export function outboxTransport(dir: string, options: Pick<SmtpOptions, 'dkim'> = {}): Transport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix', dkim: options.dkim })
  let made: Promise<unknown> | undefined
  return {
    describe: `outbox ${dir}/`,
    destination: 'outbox',
    server: `${dir}/`,
    async send(message) {
      const info = await transporter.sendMail(message)
      const to = message.to as { address: string }
      const name = `${message.subject?.toString().startsWith('[TEST] ') ? 'test-' : ''}${to.address.toLowerCase().replace(/[^a-z0-9@._+-]/g, '_')}.eml`
      made ??= mkdir(dir, { recursive: true }).catch(() => undefined)
      await made
      const target = join(dir, name)
      try {
        await writeFile(`${target}.tmp-${process.pid}`, info.message as Buffer)
        await rename(`${target}.tmp-${process.pid}`, target)
      } catch (error) {
        // A full or read-only disk fails every message the same way: stop the run, keep the rest pending.
        throw new SendError(`cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
          fatal: true,
          hint: 'Check that the outbox folder is writable and the disk is not full, then rerun to resume',
        })
      }
      return `250 written to ${target}`
    },
    close: () => transporter.close(),
  }
}

/** How a failed hand-over is to be treated; every flag defaults to false. */
export interface SendErrorKind {
  /** Permanent for this recipient (5xx): recorded as failed, not retried. */
  permanent?: boolean
  /** Fatal for the whole run (our login or TLS was refused): every message would fail the same way. */
  fatal?: boolean
  /** No reply from the server (refused, timed out, cut, or 421): counts towards giving up on it. */
  connection?: boolean
  /** The server says we are too fast (421, 4.7.x, rate wording, refused connections): slow down. */
  tooFast?: boolean
  /** What to do about it, when there is something specific to say. */
  hint?: string
}

/** A failed hand-over; anything neither permanent nor fatal is worth retrying later in the run. */
export class SendError extends Error {
  readonly permanent: boolean
  readonly fatal: boolean
  readonly connection: boolean
  readonly tooFast: boolean
  readonly hint: string | undefined
  constructor(message: string, kind: SendErrorKind = {}) {
    super(message)
    this.permanent = kind.permanent ?? false
    this.fatal = kind.fatal ?? false
    this.connection = kind.connection ?? false
    this.tooFast = kind.tooFast ?? false
    this.hint = kind.hint
  }
  override name = 'SendError'
}

// Replies that mean "slow down" rather than "try this one later": RFC 3463 4.7.x (policy), and the
// words relays use for throttling (Exchange Online: 4.7.500 "Server busy"; Gmail: 4.7.28 "rate limited").
const tooFastReply = /^4\d\d[ -]4\.7\.\d+|\b(rate|too many|too fast|throttl|slow down|busy)/i

function toSendError(error: unknown, secret: string | undefined, server: string): SendError {
  const { responseCode, response, code, command, message } = error as {
    responseCode?: number
    response?: string
    code?: string
    command?: string
    message?: string
  }
  const text = redact(response ?? `${code ? `${code}: ` : ''}${message ?? String(error)}`, secret)
  if (code === 'ETLS' && command === 'STARTTLS') {
    return new SendError(
      `${server} does not offer STARTTLS (it answered \`${text}\`), and send.require_tls is on, so the password would cross the network unencrypted`,
      {
        fatal: true,
        hint: 'For a trusted internal relay, set send.require_tls: false in content/settings.yml; or, if the server offers implicit TLS, use smtps://…:465 in SMTP_URL',
      },
    )
  }
  if (code === 'EAUTH' || code === 'ENOAUTH')
    return new SendError(text, { fatal: true, hint: 'Check the user and password in SMTP_URL and that the account may send, then rerun to resume' })
  if (code === 'ETLS')
    return new SendError(text, {
      fatal: true,
      hint: 'The TLS handshake failed: check the host name and port in SMTP_URL (smtp:// with STARTTLS on 587, smtps:// on 465)',
    })
  // RFC 5321 §4.2.1: 5yz is a permanent negative reply, 4yz transient; no reply at all (timeout, reset) is transient.
  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) return new SendError(text, { permanent: true })
  // 421: the server is closing the connection (RFC 5321 §3.8), usually because of load or our rate.
  const connection = responseCode === undefined || responseCode === 421
  const refused = /ECONNREFUSED/.test(message ?? '')
  return new SendError(text, {
    connection,
    tooFast: responseCode === 421 || refused || (responseCode !== undefined && responseCode >= 450 && responseCode <= 452 && tooFastReply.test(text)),
  })
}
