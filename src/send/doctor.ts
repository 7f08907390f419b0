import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import nodemailer from 'nodemailer'
import SMTPConnection from 'nodemailer/lib/smtp-connection'
import type { Config } from '../config.ts'
import type { Destination } from './destination.ts'
import type { AccessToken } from './oauth.ts'
import { relayPresets, type Limits } from './relays.ts'
import { redact, SendError, smtpConfig, type SmtpOptions } from './transport.ts'
import { secretsOf } from './destination.ts'

/** One line of `doctor`: how it stands, what was found, and what to do when it is not ok. */
export interface Finding {
  level: 'ok' | 'warning' | 'error'
  text: string
  todo?: string
}

/** What the checks look at. */
export interface SetupInput {
  config: Config
  destination: Destination
  smtp: SmtpOptions
  limits: Limits
  /** How many recipients the send has, when known. */
  recipients?: number
  /** Fetch an OAuth token (its expiry and roles are shown). */
  fetchToken: boolean
  /** Connect to the SMTP server (greeting, STARTTLS, AUTH methods, sign-in); `send` leaves this to the send itself. */
  connect: boolean
}

/** The Exchange Online hosts whose SMTP AUTH stops taking passwords at the end of 2026 (message center MC786329). */
const exchangeHosts = /(^|\.)(office365\.com|outlook\.com)$/i

/**
 * Check a send set-up without sending anything: the way of sending, the sign-in (a token is fetched; only its expiry
 * and roles are shown), the recipient count against the daily cap, HVE's domains, the DKIM key, and, with `connect`,
 * the SMTP server's greeting, STARTTLS, AUTH methods and sign-in. Nothing secret is in what it returns.
 */
export async function checkSetup(input: SetupInput): Promise<Finding[]> {
  const { config, destination, limits } = input
  const send = config.settings.send ?? {}
  const preset = send.relay ? relayPresets[send.relay] : undefined
  const findings: Finding[] = []
  // 1. Which way the messages leave
  findings.push(...transportFindings(destination, preset?.host, send.relay))
  // 2. The sign-in: a token for OAuth, and the password warning for Exchange Online
  if (input.fetchToken && destination.kind !== 'outbox' && destination.tokens) findings.push(await tokenFinding(destination))
  // 3. How many, against the daily cap
  if (input.recipients !== undefined) findings.push(capFinding(input.recipients, limits))
  if (preset?.internalOnly && !send.allowed_domains?.length)
    findings.push({
      level: 'error',
      text: `relay ${send.relay} delivers to your own organisation only, but send.allowed_domains is empty`,
      todo: 'list your domains under send.allowed_domains in content/settings.yml, so an outside address is refused before sending',
    })
  // 4. DKIM
  if (send.dkim) findings.push(await dkimFinding(config.root, send.dkim))
  // 5. The server itself
  if (input.connect && destination.kind === 'smtp') findings.push(...(await smtpFindings(destination, input.smtp)))
  return findings.map((finding) => ({ ...finding, text: redact(finding.text, secretsOf(destination)) }))
}

/** `ok: …`, `warning: … — what to do`. */
export function formatFinding(finding: Finding): string {
  return `${finding.level}: ${finding.text}${finding.todo ? ` — ${finding.todo}` : ''}`
}

function transportFindings(destination: Destination, presetHost: string | undefined, relay: string | undefined): Finding[] {
  if (destination.kind === 'outbox')
    return [
      {
        level: 'warning',
        text: `SMTP_URL is not set and send.transport is not graph: messages are written to ${destination.dir}/, nothing is mailed`,
        todo: 'set SMTP_URL, or send.transport: graph with OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET and OAUTH_TENANT',
      },
    ]
  if (destination.kind === 'graph') {
    const findings: Finding[] = [{ level: 'ok', text: `transport: Microsoft Graph ${new URL(destination.url).host}, sending as ${destination.mailbox}` }]
    if (relay && relay !== 'microsoft-graph')
      findings.push({ level: 'warning', text: `send.relay is ${relay}, but messages go through Graph`, todo: 'set send.relay: microsoft-graph for its limits' })
    return findings
  }
  const { url } = destination.url
  const host = url.hostname
  const user = url.username ? decodeURIComponent(url.username) : undefined
  const signIn = destination.tokens ? `XOAUTH2 as ${user}` : user ? `password as ${user}` : 'no sign-in'
  const findings: Finding[] = [
    { level: 'ok', text: `transport: SMTP ${url.protocol}//${host}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}, ${signIn}` },
  ]
  if (user && !destination.url.secret && !destination.tokens)
    findings.push({
      level: 'error',
      text: `SMTP_URL names the user ${user} but no password, and OAUTH_CLIENT_ID is not set`,
      todo: 'set OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET and OAUTH_TENANT to sign in with OAuth2, or put the password in SMTP_URL',
    })
  if (destination.url.secret && exchangeHosts.test(host))
    findings.push({
      level: 'warning',
      text: `SMTP_URL signs in to ${host} with a password: Exchange Online turns password (Basic) sign-in for SMTP AUTH off by default at the end of December 2026 and then refuses it with 550 5.7.30`,
      todo: 'remove the password from SMTP_URL and set OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET and OAUTH_TENANT (XOAUTH2), or use send.transport: graph (README.md, "Sending from Microsoft 365")',
    })
  if (presetHost && host.toLowerCase() !== presetHost)
    findings.push({
      level: 'warning',
      text: `send.relay is ${relay}, whose host is ${presetHost}, but SMTP_URL names ${host}`,
      todo: 'check SMTP_URL and send.relay',
    })
  return findings
}

async function tokenFinding(destination: Extract<Destination, { tokens?: unknown }>): Promise<Finding> {
  const tokens = destination.tokens!
  let token: AccessToken
  try {
    token = await tokens.token()
  } catch (error) {
    const known = error instanceof SendError
    return { level: 'error', text: known ? error.message : String(error), todo: known ? error.hint?.replace(/, then rerun to resume$/, '') : undefined }
  }
  const minutes = Math.round((token.expiresAt - Date.now()) / 60_000)
  const needed = destination.kind === 'graph' ? 'Mail.Send' : 'SMTP.SendAsApp'
  const roles = token.roles.length > 0 ? `roles ${token.roles.join(', ')}` : 'no roles in the token'
  const text = `token from ${tokens.endpoint}: expires ${new Date(token.expiresAt).toISOString()} (in ${minutes} min), ${roles}`
  if (token.roles.length > 0 && !token.roles.includes(needed))
    return { level: 'warning', text, todo: `grant the app the ${needed} application permission and admin consent` }
  return { level: 'ok', text }
}

function capFinding(recipients: number, limits: Limits): Finding {
  const { dailyLimit } = limits
  if (dailyLimit === undefined) return { level: 'ok', text: `${recipients} recipient${recipients === 1 ? '' : 's'}, no daily cap known` }
  if (recipients <= dailyLimit) return { level: 'ok', text: `${recipients} recipients, within the daily cap of ${dailyLimit}` }
  return {
    level: 'warning',
    text: `${recipients} recipients but the daily cap is ${dailyLimit} (${limits.from}): the send would take ${Math.ceil(recipients / dailyLimit)} days`,
    todo: 'send to a distribution list with --list (it counts as one recipient), or use High Volume Email (relay: microsoft-365-hve)',
  }
}

async function dkimFinding(root: string, dkim: { domain: string; selector: string; key_file: string }): Promise<Finding> {
  try {
    const key = await readFile(resolve(root, dkim.key_file), 'utf8')
    if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(key))
      return {
        level: 'error',
        text: `the DKIM key ${dkim.key_file} is not a PEM private key`,
        todo: 'point send.dkim.key_file at the private key (-----BEGIN PRIVATE KEY-----)',
      }
    return { level: 'ok', text: `DKIM key ${dkim.key_file} readable, signing as ${dkim.selector}._domainkey.${dkim.domain}` }
  } catch (error) {
    return {
      level: 'error',
      text: `cannot read the DKIM key ${dkim.key_file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      todo: 'send.dkim.key_file is read relative to the project folder',
    }
  }
}

/** Connect, greet, STARTTLS and the AUTH methods offered (one connection, then quit); then sign in as a send would. */
async function smtpFindings(destination: Extract<Destination, { kind: 'smtp' }>, options: SmtpOptions): Promise<Finding[]> {
  const config = smtpConfig(destination.url, options, destination.tokens)
  const server = `${config.host}:${config.port}`
  const lines: string[] = []
  // nodemailer logs each chunk the server sent, a multi-line EHLO answer as one entry.
  const log = (_meta: unknown, message: unknown) => void (typeof message === 'string' && lines.push(...message.split(/\r?\n/)))
  const connection = new SMTPConnection({
    host: config.host,
    port: config.port,
    secure: config.secure,
    connectionTimeout: config.connectionTimeout,
    greetingTimeout: config.greetingTimeout,
    socketTimeout: config.socketTimeout,
    debug: true,
    logger: { level: () => undefined, trace: log, debug: log, info: log, warn: log, error: log, fatal: log },
  })
  const connected = await new Promise<Error | undefined>((done) => {
    connection.once('error', done)
    connection.connect(() => done(undefined))
  })
  if (connected) {
    connection.close()
    return [
      {
        level: 'error',
        text: `cannot connect to ${server}: ${connected.message}`,
        todo: 'check the host and port in SMTP_URL and that this machine may reach it (firewall, VPN)',
      },
    ]
  }
  const findings: Finding[] = []
  const greeting = lines.find((line) => line.startsWith('220 '))
  findings.push({ level: 'ok', text: `connected to ${server}${greeting ? `: ${greeting.slice(4, 80)}` : ''}` })
  if (connection.secure) findings.push({ level: 'ok', text: `TLS: ${config.secure ? 'implicit (smtps)' : 'STARTTLS'}` })
  else
    findings.push({
      level: config.requireTLS ? 'error' : 'warning',
      text: `${server} does not offer STARTTLS: messages${config.auth ? ' and the sign-in' : ''} cross the network unencrypted`,
      todo: config.requireTLS ? 'use a server that offers STARTTLS, or smtps://…:465' : 'only acceptable for a trusted internal relay',
    })
  // The last EHLO answer is the one after STARTTLS: servers often offer AUTH only then.
  const auth = lines.filter((line) => /^250[- ]AUTH[ =]/i.test(line)).at(-1)
  const methods = auth ? auth.slice(9).trim().split(/\s+/) : []
  const method = destination.tokens ? 'XOAUTH2' : 'PLAIN'
  if (config.auth && !methods.some((offered) => offered.toUpperCase() === method || (method === 'PLAIN' && offered.toUpperCase() === 'LOGIN')))
    findings.push({
      level: 'error',
      text: `${server} offers AUTH ${methods.join(' ') || '(none)'}, not ${method}`,
      todo: destination.tokens
        ? 'check that SMTP AUTH is enabled for the mailbox (Set-CASMailbox -SmtpClientAuthenticationDisabled $false)'
        : 'check the host in SMTP_URL',
    })
  else if (methods.length > 0) findings.push({ level: 'ok', text: `AUTH methods offered: ${methods.join(' ')}` })
  connection.quit()
  if (config.auth) findings.push(await signIn(config, server, destination))
  return findings
}

async function signIn(config: ReturnType<typeof smtpConfig>, server: string, destination: Destination): Promise<Finding> {
  const transporter = nodemailer.createTransport({ ...config, pool: false })
  try {
    await transporter.verify()
    return { level: 'ok', text: `signed in to ${server} as ${config.auth!.user}` }
  } catch (error) {
    const text = redact(`${server} refused the sign-in: ${(error as { response?: string }).response ?? (error as Error).message}`, secretsOf(destination))
    return {
      level: 'error',
      text,
      todo:
        destination.kind === 'smtp' && destination.tokens
          ? 'give the app SMTP.SendAsApp and its service principal access to the mailbox (Add-MailboxPermission)'
          : 'check the user and password in SMTP_URL',
    }
  } finally {
    transporter.close()
  }
}
