import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer'
import { NewsletterError } from '../errors.ts'

/** What the send loop talks to: SMTP, the `.eml` outbox and the tests' smtp-server all fit it. */
export interface Transport {
  /** Where mail goes, without secrets: `smtp://it-news@smtp.example.com:587`, `outbox dist/outbox/2026-11/`. */
  describe: string
  /** Hand over one message; resolves with the server's reply once it accepted it, rejects otherwise. */
  send(message: Mail.Options): Promise<string>
  close(): void
}

/** SMTP connection options from the settings file (times in milliseconds). */
export interface SmtpOptions {
  /** Connections in the pool (default 5). */
  connections?: number
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
    throw new NewsletterError('SMTP_URL is not a URL', 'refused', undefined, { hint: 'Write it like smtp://user:password@smtp.example.com:587 or smtps://…:465 (characters like @ or : in the password are %-encoded)' })
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new NewsletterError(`SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`, 'refused')
  }
  return { url, secret: url.password ? decodeURIComponent(url.password) : undefined }
}

/** Replace every occurrence of the secret (raw or %-encoded) with `****`. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret) return text
  let out = text
  for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('****')
  return out
}

/** A pooled SMTP transport: `connections` connections, timeouts on connect, greeting and every socket read. */
export function smtpTransport({ url, secret }: SmtpUrl, options: SmtpOptions = {}): Transport {
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
    maxConnections: options.connections ?? 5,
    maxMessages: Infinity,
    connectionTimeout: options.connectionTimeout ?? 30_000,
    greetingTimeout: options.greetingTimeout ?? 30_000,
    socketTimeout: options.socketTimeout ?? 60_000,
    dkim: options.dkim,
  })
  return {
    describe: `${url.protocol}//${user ? `${user}@` : ''}${url.hostname}:${port}`,
    async send(message) {
      try {
        const info = await transporter.sendMail(message)
        return info.response
      } catch (error) {
        throw toSendError(error, secret)
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
        throw new SendError(`cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, false, true)
      }
      return `250 written to ${target}`
    },
    close: () => transporter.close(),
  }
}

/**
 * A failed hand-over: `permanent` for this recipient (5xx), `fatal` for the whole run (the server
 * refused our login: every message would fail the same way), otherwise worth retrying (4xx, timeouts,
 * dropped connections).
 */
export class SendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly fatal = false,
  ) {
    super(message)
  }
  override name = 'SendError'
}

function toSendError(error: unknown, secret: string | undefined): SendError {
  const { responseCode, response, code, message } = error as { responseCode?: number; response?: string; code?: string; message?: string }
  const text = redact(response ?? `${code ? `${code}: ` : ''}${message ?? String(error)}`, secret)
  // RFC 5321 §4.2.1: 5yz is a permanent negative reply, 4yz transient; no reply at all (timeout, reset) is transient.
  if (code === 'EAUTH' || code === 'ETLS' || code === 'ENOAUTH') return new SendError(text, false, true)
  return new SendError(text, responseCode !== undefined && responseCode >= 500 && responseCode < 600)
}
