import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline/promises'
import { join, relative, resolve } from 'node:path'
import { failed, runPipeline } from '../project/pipeline.ts'
import { collectMessages, formatText } from '../check/report.ts'
import type { Command, Io } from './command.ts'
import type { Config } from '../config.ts'
import { loadProject } from '../project/project.ts'
import { createLocator } from '../content/position.ts'
import { hasErrors, NewsletterError } from '../errors.ts'
import { checkApproval } from '../send/approve.ts'
import { Ledger } from '../send/ledger.ts'
import { prepareMessages } from '../send/message.ts'
import { findSlots } from '../email/personalize.ts'
import { createProgress } from '../send/progress.ts'
import { isAddress, parseRecipients, type Recipient } from '../send/recipients.ts'
import { resolveLimits } from '../send/relays.ts'
import { deliver, type DeliveryResult } from '../send/send-loop.ts'
import { outboxTransport, parseSmtpUrl, redact, smtpTransport, type SmtpOptions, type Transport } from '../send/transport.ts'

/** Where the ledger lives unless `--ledger` says otherwise (git-ignored). */
export const defaultLedger = '.newsletter/sends.sqlite'

/** What `send` takes from outside the command line; the CLI passes the real process, tests their own. */
export interface SendContext {
  /** The project folder (content/, layouts/, dist/). */
  root: string
  env: Readonly<Record<string, string | undefined>>
  /** Whether a person is at a terminal: decides the prompt and the progress bar. */
  tty: boolean
  /** Ctrl-C / SIGTERM: stop taking recipients, let what is in flight finish. */
  signal?: AbortSignal
  /** Ask a yes/no question (only called when `tty`). */
  confirm?(question: string): Promise<boolean>
  /** Milliseconds between progress lines when not on a terminal (default 5000). */
  progressEvery?: number
}

/** `newsletter send <slug>`: validate everything, then mail an approved issue or notice, resumably. */
export const sendCommand: Command = {
  name: 'send',
  usage: 'send <slug> (--recipients FILE | --list ADDR | --to ADDR[,ADDR…]) [--dry-run] [--yes] [--ledger FILE] [--concurrency N] [--rate N]',
  allowPositionals: true,
  options: {
    recipients: { type: 'string' },
    to: { type: 'string' },
    list: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    ledger: { type: 'string' },
    concurrency: { type: 'string' },
    rate: { type: 'string' },
    yes: { type: 'boolean', default: false },
  },
  help: {
    '--recipients FILE': 'CSV with a header row: `email` required; `name` and any other columns fill {{name}}-style fields',
    '--to ADDR[,ADDR…]': 'test send to these addresses only: subject starts with [TEST], any status, not recorded',
    '--list ADDR': 'one message to one distribution-list address',
    '--dry-run': 'validate and render everything, print what would be sent, send nothing',
    '--ledger FILE': `the send ledger (default: ${defaultLedger})`,
    '--concurrency N': 'SMTP connections (default: 5)',
    '--rate N': 'messages per second (default: the relay preset, else no limit)',
    '--yes': 'do not ask for confirmation (required when not at a terminal)',
    '--help': 'show this help',
  },
  async run(values, positionals, io, root) {
    const controller = new AbortController()
    let signals = 0
    const onSignal = (name: NodeJS.Signals) => {
      signals++
      // A second Ctrl-C means "now": what is in flight stays in doubt in the ledger and is resent on resume.
      if (signals > 1) process.exit(130)
      io.err(`\n${name}: finishing the messages in flight, then stopping (press Ctrl-C again to stop at once)`)
      controller.abort()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    try {
      return await runSend(values, positionals, io, {
        root,
        env: process.env,
        tty: Boolean(process.stdin.isTTY && process.stderr.isTTY),
        signal: controller.signal,
        confirm: askYesNo,
      })
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  },
}

async function askYesNo(question: string): Promise<boolean> {
  const readline = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await readline.question(`${question} [y/N] `)).trim())
  } finally {
    readline.close()
  }
}

type Mode = { kind: 'recipients'; file: string } | { kind: 'list'; address: string } | { kind: 'test'; addresses: string[] }

/** The send command with its surroundings passed in; returns the exit code (0 all accepted, 1 some not, 2 refused). */
export async function runSend(values: Record<string, unknown>, positionals: string[], io: Io, context: SendContext): Promise<number> {
  const slug = positionals[0]
  if (!slug || positionals.length > 1) throw new NewsletterError('Give exactly one slug: newsletter send 2026-11 --recipients staff.csv', 'usage')
  const mode = modeOf(values)
  const concurrency = count(values.concurrency, '--concurrency') ?? 5
  const flagRate = values.rate === undefined ? undefined : positive(values.rate, '--rate')
  const dryRun = Boolean(values['dry-run'])

  // 1. Settings, content, and the rendered email: anything wrong refuses the send
  // Only this document is loaded and validated: a typo in another draft never holds up an urgent notice.
  const project = await loadProject(context.root, { only: (source) => source.slug === slug })
  const config = project.config
  if (!config) {
    io.err(formatText(collectMessages([project.settingsFile])))
    return 2
  }
  const pipeline = await runPipeline(project, { drafts: true })
  if (failed(pipeline)) {
    const errors = collectMessages(pipeline.files).filter((message) => message.severity === 'error')
    io.err(`${formatText(errors)}\nNothing was sent: fix the errors above first.`)
    return 2
  }
  const rendered = pipeline.rendered[0]
  const email = pipeline.emails[0]
  if (!rendered || !email) {
    throw new NewsletterError(`No issue or notice named \`${slug}\` in ${relative(context.root, config.contentDir) || '.'}`, 'refused', undefined, { hint: 'The slug is the file name without .md, e.g. 2026-11' })
  }
  const doc = rendered.doc
  const docText = String(doc.file.value)

  // 2. Only approved content that has not changed since goes out for real
  if (mode.kind !== 'test') checkApproval(doc, docText)

  // 3. Recipients, every row checked before the first message
  const settings = config.settings.send ?? {}
  const recipients = await loadRecipients(mode, settings.allowed_domains, io, context.root)
  if (mode.kind === 'recipients') checkFields(doc.path, docText, email.subject, recipients.columns, mode.file)

  // 4. Transport, limits and the ledger
  const smtpUrl = context.env.SMTP_URL ? parseSmtpUrl(context.env.SMTP_URL) : undefined
  const secret = smtpUrl?.secret
  const smtpOptions = await smtpOptionsOf(config, concurrency)
  const transport: Transport = smtpUrl ? smtpTransport(smtpUrl, smtpOptions) : outboxTransport(relative(process.cwd(), join(config.outDir, 'outbox', slug)) || '.', smtpOptions)
  try {
    const limits = resolveLimits(settings.relay, settings, flagRate)
    const message = prepareMessages(email, config.settings, { test: mode.kind === 'test' })
    const ledgerPath = resolve(context.root, String(values.ledger ?? defaultLedger))
    const ledgerShown = relative(context.root, ledgerPath) || ledgerPath
    const what = `${doc.meta.kind} ${slug} ("${email.subject}")`

    if (mode.kind === 'test') {
      if (dryRun) return printDryRun(io, what, recipients.list, message, transport, limits, 0)
      io.out(`Test send of ${what} to ${recipients.list.map((r) => r.email).join(', ')} via ${transport.describe} (not recorded in the ledger)`)
      const result = await deliver({ slug, recipients: recipients.list, message, transport, concurrency, rate: limits.rate, attempts: settings.attempts, retryDelay: settings.retry_delay, signal: context.signal })
      return summarize(io, result, { what, transport, secret, reportHint: undefined })
    }

    const existing = existsSync(ledgerPath)
    if (dryRun) {
      const ledger = existing ? new Ledger(ledgerPath) : undefined
      const done = ledger ? recipients.list.filter((r) => ledger.state(slug, r.key) === 'sent' || ledger.state(slug, r.key) === 'failed').length : 0
      ledger?.close()
      return printDryRun(io, what, recipients.list, message, transport, limits, done)
    }

    const ledger = new Ledger(ledgerPath)
    try {
      ledger.lock(slug)
      try {
        const startedWith = ledger.sendDigest(slug)
        if (startedWith && startedWith !== doc.meta.approved_digest && ledger.counts(slug).sent > 0) {
          throw new NewsletterError(`${slug} was partly sent with different content (approved_digest ${startedWith}); finishing it now would mail two versions`, 'refused', undefined, {
            hint: `Finish with the approved content it started with, or start a new send with another --ledger FILE`,
          })
        }
        const todo = recipients.list.filter((r) => {
          const state = ledger.state(slug, r.key)
          return state !== 'sent' && state !== 'failed'
        })
        const before = ledger.counts(slug)
        if (todo.length === 0) {
          io.out(`Nothing to send: all ${recipients.list.length} recipients of ${slug} are already settled in ${ledgerShown} (${before.sent} sent, ${before.failed} failed).`)
          return before.failed > 0 ? 1 : 0
        }
        const remainingToday = limits.dailyLimit === undefined ? undefined : Math.max(0, limits.dailyLimit - ledger.sentInLastDay())
        if (remainingToday !== undefined && todo.length > remainingToday) {
          io.err(`warning: ${todo.length} messages to send but the daily cap allows ${remainingToday} more today (${limits.dailyLimit} a day, ${limits.from}). The rest stay pending: rerun the same command tomorrow to continue.`)
        }
        const resumed = todo.length < recipients.list.length || before.inDoubt > 0 || before.pending > 0
        const question = `${resumed ? 'Resume sending' : 'Send'} ${what} to ${todo.length} recipient${todo.length === 1 ? '' : 's'} via ${transport.describe}?`
        if (!values.yes) {
          if (!context.tty || !context.confirm) {
            throw new NewsletterError(`${question.replace(/\?$/, '')}: refused without --yes when not at a terminal`, 'refused', undefined, { hint: 'Check with --dry-run, then add --yes' })
          }
          if (!(await context.confirm(question))) {
            io.err('Nothing was sent.')
            return 2
          }
        }
        ledger.enrol(slug, doc.meta.approved_digest!, recipients.list)
        if (resumed) io.out(`Resuming ${slug}: ${recipients.list.length - todo.length} already settled, ${before.inDoubt} in doubt (resent), ${todo.length} to send.`)
        const progress = createProgress(io, { tty: context.tty, every: context.progressEvery })
        const result = await deliver({
          slug,
          recipients: todo,
          message,
          transport,
          ledger,
          concurrency,
          rate: limits.rate,
          remainingToday,
          attempts: settings.attempts,
          retryDelay: settings.retry_delay,
          signal: context.signal,
          onProgress: (p) => progress.update(p),
        })
        progress.finish(result)
        return summarize(io, result, { what, transport, secret, reportHint: `newsletter report ${slug}${values.ledger ? ` --ledger ${ledgerShown}` : ''}` })
      } finally {
        ledger.unlock(slug)
      }
    } finally {
      ledger.close()
    }
  } catch (error) {
    if (error instanceof Error) error.message = redact(error.message, secret)
    throw error
  } finally {
    transport.close()
  }
}

function modeOf(values: Record<string, unknown>): Mode {
  const given = (['recipients', 'list', 'to'] as const).filter((key) => values[key] !== undefined)
  if (given.length !== 1) {
    throw new NewsletterError(given.length === 0 ? 'Say who to send to: --recipients FILE, --list ADDR or --to ADDR' : `Use one of --recipients, --list and --to, not ${given.map((key) => `--${key}`).join(' and ')}`, 'usage')
  }
  if (values.recipients !== undefined) return { kind: 'recipients', file: String(values.recipients) }
  if (values.list !== undefined) return { kind: 'list', address: String(values.list).trim() }
  return { kind: 'test', addresses: String(values.to).split(',').map((address) => address.trim()).filter(Boolean) }
}

function count(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new NewsletterError(`${flag} must be a whole number from 1 to 100, got \`${String(value)}\``, 'usage')
  return n
}

function positive(value: unknown, flag: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new NewsletterError(`${flag} must be a number above 0 (messages per second), got \`${String(value)}\``, 'usage')
  return n
}

async function loadRecipients(mode: Mode, allowedDomains: string[] | undefined, io: Io, root: string): Promise<{ list: Recipient[]; columns: string[] }> {
  if (mode.kind === 'recipients') {
    let text: string
    try {
      text = await readFile(resolve(root, mode.file), 'utf8')
    } catch (error) {
      throw new NewsletterError(`Cannot read the recipients file ${mode.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'refused', undefined, { cause: error })
    }
    const { file, recipients, columns } = parseRecipients(mode.file, text, { allowedDomains })
    const messages = collectMessages([file])
    if (messages.length > 0) io.err(formatText(messages))
    if (hasErrors([file])) {
      const errors = messages.filter((message) => message.severity === 'error').length
      throw new NewsletterError(`${errors} bad row${errors === 1 ? '' : 's'} in ${mode.file}: nothing was sent`, 'refused', undefined, { hint: 'Fix every row listed above, then run the same command again' })
    }
    return { list: recipients, columns }
  }
  const addresses = mode.kind === 'list' ? [mode.address] : mode.addresses
  const flag = mode.kind === 'list' ? '--list' : '--to'
  if (addresses.length === 0) throw new NewsletterError(`${flag} needs an address`, 'usage')
  const seen = new Set<string>()
  const list: Recipient[] = []
  for (const email of addresses) {
    if (!isAddress(email)) throw new NewsletterError(`${flag}: \`${email}\` is not an email address`, 'usage', undefined, { hint: 'Write it like jane.doe@example.com' })
    const key = email.toLowerCase()
    if (mode.kind === 'list' && allowedDomains?.length && !allowedDomains.some((d) => key.endsWith(`@${d.toLowerCase()}`) || key.endsWith(`.${d.toLowerCase()}`))) {
      throw new NewsletterError(`--list: \`${email}\` is outside the allowed domains (${allowedDomains.join(', ')})`, 'refused', undefined, { hint: 'Add the domain to send.allowed_domains in content/settings.yml' })
    }
    if (seen.has(key)) continue
    seen.add(key)
    list.push({ email, key, fields: { email } })
  }
  return { list, columns: ['email'] }
}

/** A `{{field}}` with no CSV column and no fallback would go out empty to everyone: refuse, pointing at it. */
function checkFields(docPath: string, docText: string, subject: string, columns: readonly string[], csv: string): void {
  const known = new Set(columns)
  const locate = createLocator(docText)
  for (const { field, offset, fallback } of findSlots(docText)) {
    if (known.has(field) || fallback) continue
    throw new NewsletterError(`\`{{${field}}}\` has no column in ${csv} (columns: ${columns.join(', ')})`, 'refused', { file: docPath, ...locate(offset) }, {
      hint: `Add a \`${field}\` column to the CSV, or give a fallback: {{${field}|everyone}}`,
    })
  }
  for (const { field, fallback } of findSlots(subject)) {
    if (!known.has(field) && !fallback) throw new NewsletterError(`\`{{${field}}}\` in the subject has no column in ${csv}`, 'refused')
  }
}

async function smtpOptionsOf(config: Config, connections: number): Promise<SmtpOptions> {
  const send = config.settings.send ?? {}
  const options: SmtpOptions = {
    connections,
    connectionTimeout: send.connection_timeout,
    greetingTimeout: send.greeting_timeout,
    socketTimeout: send.socket_timeout,
    requireTls: send.require_tls,
  }
  if (send.dkim) {
    const keyPath = resolve(config.root, send.dkim.key_file)
    let privateKey: string
    try {
      privateKey = await readFile(keyPath, 'utf8')
    } catch (error) {
      throw new NewsletterError(`Cannot read the DKIM key ${send.dkim.key_file}: ${(error as NodeJS.ErrnoException).code ?? ''}`, 'refused', undefined, { cause: error, hint: 'send.dkim.key_file is read relative to the project folder' })
    }
    options.dkim = { domainName: send.dkim.domain, keySelector: send.dkim.selector, privateKey }
  }
  return options
}

function printDryRun(io: Io, what: string, list: Recipient[], message: ReturnType<typeof prepareMessages>, transport: Transport, limits: ReturnType<typeof resolveLimits>, done: number): number {
  const sample = message(list[0]!)
  const headers = sample.list as { id: { url: string; comment?: string }; unsubscribe?: { url: string } }
  io.out(
    [
      `Dry run: would send ${what} via ${transport.describe}`,
      `  recipients: ${list.length}${done > 0 ? ` (${done} already settled in the ledger, ${list.length - done} to send)` : ''}`,
      `  rate: ${limits.rate ? `${+(limits.rate * 60).toFixed(2)} a minute` : 'no limit'}${limits.dailyLimit ? `, daily cap ${limits.dailyLimit} (${limits.from})` : ''}`,
      `  first message: To ${(sample.to as { address: string }).address}, Subject ${String(sample.subject)}, Message-ID ${sample.messageId}`,
      `  List-Id: ${headers.id.comment ? `${headers.id.comment} ` : ''}<${headers.id.url}>`,
      `  List-Unsubscribe: ${headers.unsubscribe ? `<${headers.unsubscribe.url}>` : 'none (no send.unsubscribe_url in settings)'}`,
      'Nothing was sent.',
    ].join('\n'),
  )
  return 0
}

function summarize(io: Io, result: DeliveryResult, context: { what: string; transport: Transport; secret: string | undefined; reportHint: string | undefined }): number {
  const lines = [
    `${result.stopped === 'signal' ? 'Stopped' : 'Done'}: ${context.what} — ${result.sent} sent, ${result.failed} failed, ${result.pending} pending of ${result.total} in ${result.seconds.toFixed(1)}s via ${context.transport.describe}.`,
  ]
  if (result.stopped === 'daily-limit') lines.push('The daily cap was reached: the rest stay pending. Rerun the same command after the cap resets.')
  if (result.stopped === 'fatal') lines.push(`Sending stopped: ${result.fatalReply}. Check SMTP_URL and the account (or that the outbox folder is writable), then rerun to resume.`)
  for (const failure of result.failures.slice(0, 10)) lines.push(`  failed: ${failure.email}: ${failure.reply}`)
  if (result.failures.length > 10) lines.push(`  … and ${result.failures.length - 10} more`)
  if (result.pending > 0 && context.reportHint) lines.push(`${result.pending} still pending: rerun the same command to resume.`)
  if ((result.failed > 0 || result.pending > 0) && context.reportHint) lines.push(`Details: ${context.reportHint}`)
  const text = redact(lines.join('\n'), context.secret)
  if (result.failed > 0 || result.pending > 0) {
    io.err(text)
    return 1
  }
  io.out(text)
  return 0
}
