import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer'
import { NewsletterError } from '../errors.ts'

/**
 * Where a transport that signs in with OAuth gets its access tokens (oauth.ts's TokenSource): `rejected` is a token a
 * server refused, so a new one is fetched; `secrets` is what no output may contain.
 */
export interface AccessTokens {
  token(rejected?: string): Promise<{ value: string; refreshAt: number }>
  secrets(): string[]
}

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

// nodemailer's default signed fields (RFC 4871 §5.5, lib/dkim/sign.js) plus List-Unsubscribe-Post, which RFC 8058 §4
// requires to be signed along with List-Unsubscribe; a field absent from a message is left out of its signature.
const dkimHeaderFieldNames = [
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:Content-ID',
  'Content-Description:Resent-Date:Resent-From:Resent-Sender:Resent-To:Resent-Cc:Resent-Message-ID:In-Reply-To:References',
  'List-Id:List-Help:List-Unsubscribe:List-Unsubscribe-Post:List-Subscribe:List-Post:List-Owner:List-Archive',
].join(':')

/** nodemailer's DKIM options for a key from the settings: every header the relay sees that matters is signed. */
export function dkimOptions(dkim: SmtpOptions['dkim']) {
  return dkim && { ...dkim, headerFieldNames: dkimHeaderFieldNames }
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

/** Replace every occurrence of the secret or secrets (raw or %-encoded) with `mask`. */
export function redact(text: string, secret: string | readonly (string | undefined)[] | undefined, mask = '****'): string {
  let out = text
  for (const one of typeof secret === 'string' ? [secret] : (secret ?? [])) {
    if (!one) continue
    for (const form of new Set([one, encodeURIComponent(one)])) out = out.split(form).join(mask)
  }
  return out
}

/**
 * nodemailer's options for SMTP_URL and the settings, pooled: `connections` connections, timeouts on connect, greeting
 * and every socket read. With `tokens` (a user in SMTP_URL, no password, OAUTH_CLIENT_ID set) it signs in with XOAUTH2;
 * nodemailer asks for a new token when the server refuses one.
 */
export function smtpConfig({ url, secret }: SmtpUrl, options: SmtpOptions, tokens?: AccessTokens) {
  const secure = url.protocol === 'smtps:'
  const user = url.username ? decodeURIComponent(url.username) : undefined
  let lastToken: string | undefined
  const auth = !user
    ? undefined
    : tokens
      ? {
          type: 'OAuth2' as const,
          user,
          provisionCallback(_user: string, renew: boolean, callback: (error: Error | null, token?: string, expires?: number) => void) {
            tokens.token(renew ? lastToken : undefined).then(
              (token) => {
                lastToken = token.value
                callback(null, token.value, token.refreshAt)
              },
              (error: Error) => callback(error),
            )
          },
        }
      : { user, pass: secret }
  return {
    pool: true as const,
    host: url.hostname,
    port: Number(url.port) || (secure ? 465 : 587),
    secure,
    requireTLS: !secure && (options.requireTls ?? true),
    auth,
    maxConnections: options.connections,
    maxMessages: Infinity,
    connectionTimeout: options.connectionTimeout ?? 30_000,
    greetingTimeout: options.greetingTimeout ?? 30_000,
    socketTimeout: options.socketTimeout ?? 60_000,
    dkim: dkimOptions(options.dkim),
  }
}

/** A pooled SMTP transport for SMTP_URL (see smtpConfig). */
export function smtpTransport(smtpUrl: SmtpUrl, options: SmtpOptions, tokens?: AccessTokens): Transport {
  const { url, secret } = smtpUrl
  const config = smtpConfig(smtpUrl, options, tokens)
  const user = config.auth?.user
  const hidden = () => [secret, ...(tokens?.secrets() ?? [])]
  const transporter = nodemailer.createTransport(config)
  const server = `${url.hostname}:${config.port}`
  return {
    describe: `${url.protocol}//${user ? `${user}@` : ''}${server}`,
    destination: `smtp ${server}`,
    server,
    async send(message) {
      try {
        const info = await transporter.sendMail(message)
        return info.response
      } catch (error) {
        throw error instanceof SendError ? error : toSendError(error, hidden(), server, Boolean(tokens))
      }
    },
    close: () => transporter.close(),
  }
}

/** A transport that writes each message as `<dir>/<address>.eml` (written beside, then renamed: never half a file). */
export function outboxTransport(dir: string, options: Pick<SmtpOptions, 'dkim'> = {}): Transport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix', dkim: dkimOptions(options.dkim) })
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
  /** The server said when to try again (ms, from Retry-After): the recipient waits at least this long. */
  retryAfter?: number
}

/** A failed hand-over; anything neither permanent nor fatal is worth retrying later in the run. */
export class SendError extends Error {
  readonly permanent: boolean
  readonly fatal: boolean
  readonly connection: boolean
  readonly tooFast: boolean
  readonly hint: string | undefined
  readonly retryAfter: number | undefined
  constructor(message: string, kind: SendErrorKind = {}) {
    super(message)
    this.permanent = kind.permanent ?? false
    this.fatal = kind.fatal ?? false
    this.connection = kind.connection ?? false
    this.tooFast = kind.tooFast ?? false
    this.hint = kind.hint
    this.retryAfter = kind.retryAfter
  }
  override name = 'SendError'
}

// Replies that mean "slow down" rather than "try this one later": RFC 3463 4.7.x (policy), and the
// words relays use for throttling (Exchange Online: 4.7.500 "Server busy"; Gmail: 4.7.28 "rate limited").
const tooFastReply = /^4\d\d[ -]4\.7\.\d+|\b(rate|too many|too fast|throttl|slow down|busy)/i

function toSendError(error: unknown, secret: readonly (string | undefined)[], server: string, oauth: boolean): SendError {
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
    return new SendError(text, {
      fatal: true,
      hint: oauth
        ? 'The server refused the OAuth token: check that the app registration has SMTP.SendAsApp, that its service principal was given access to the mailbox in SMTP_URL (Add-MailboxPermission), and that SMTP AUTH is enabled for that mailbox; then rerun to resume'
        : /5\.7\.30|basic auth/i.test(text)
          ? 'The server no longer accepts passwords (Basic authentication): sign in with OAuth instead — see README.md, "Sending from Microsoft 365" — then rerun to resume'
          : 'Check the user and password in SMTP_URL and that the account may send, then rerun to resume',
    })
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
