import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { failed, runPipeline } from '../project/pipeline.ts'
import { loadProject } from '../project/project.ts'
import { collectMessages, formatText } from '../check/report.ts'
import type { Config, Settings } from '../config.ts'
import { createLocator } from '../content/position.ts'
import { noticeRevision } from '../content/revisions.ts'
import type { Doc } from '../content/types.ts'
import type { EmailArtifact } from '../email/build-email.ts'
import { calendarMailPart, noticeCalendar } from '../email/calendar.ts'
import { findSlots } from '../email/personalize.ts'
import { hasErrors, NewsletterError } from '../errors.ts'
import type { RenderedDoc } from '../markdown/parts.ts'
import { checkApproval, contentDigest, needsApproval } from './approve.ts'
import { channelPost, postToChannels } from './channels.ts'
import { defaultLedger, Ledger, ledgerError, sendKey, type State } from './ledger.ts'
import { prepareMessages, type PreparedMessages } from './message.ts'
import { createProgress } from './progress.ts'
import { inAllowedDomains, isAddress, readRecipients, type Recipient } from './recipients.ts'
import { resolveLimits, type Limits } from './relays.ts'
import { defaultConcurrency, deliver, type DeliveryResult } from './send-loop.ts'
import { outboxTransport, parseSmtpUrl, redact, smtpTransport, type SmtpOptions, type Transport } from './transport.ts'

/** Where printed lines go: `out` for results, `err` for progress, warnings and problems. */
export interface Output {
  out(text: string): void
  err(text: string): void
}

/** Who a send goes to. */
export type Audience = { kind: 'recipients'; file: string } | { kind: 'list'; address: string } | { kind: 'test'; addresses: string[] }

/** One `send`, as the command line asked for it. */
export interface SendRequest {
  slug: string
  audience: Audience
  /** SMTP connections (default 5). */
  concurrency?: number
  /** Messages per second; overrides the settings and the relay preset. */
  rate?: number
  dryRun?: boolean
  /** Do not ask for confirmation. */
  yes?: boolean
  /** The ledger file, relative to the project (default: `.newsletter/sends.sqlite`). */
  ledger?: string
  /** Post to the settings' Teams and Slack channels after a real send (default true). */
  channels?: boolean
}

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

/** The document to send, checked and rendered. */
interface ForSending {
  config: Config
  doc: Doc
  /** The .md file as written, for the approval digest and `{{field}}` positions. */
  docText: string
  email: EmailArtifact
  parts: RenderedDoc
}

/** Mail an approved issue or notice, resumably; returns the exit code (0 all accepted, 1 some not, 2 refused). */
export async function sendDocument(request: SendRequest, io: Output, context: SendContext): Promise<number> {
  const { slug, audience } = request
  const concurrency = request.concurrency ?? defaultConcurrency

  // 1. Settings, content, and the rendered email: anything wrong refuses the send
  const rendered = await renderForSending(context.root, slug, io)
  if (!rendered) return 2
  const { config, doc, docText, email, parts } = rendered
  // A notice is sent once per revision (each update is news); everything about one revision is recorded under its key.
  const revision = doc.meta.kind === 'notice' ? noticeRevision(doc.meta) : 1
  const key = sendKey(slug, revision)

  // 2. Only approved content that has not changed since goes out for real (notices may skip approval by setting)
  if (audience.kind !== 'test' && needsApproval(doc, config.settings)) checkApproval(doc, docText)
  const digest = doc.meta.approved_digest ?? contentDigest(docText)

  // 3. Recipients, every row checked before the first message
  const settings = config.settings.send ?? {}
  const recipients = await loadRecipients(audience, settings.allowed_domains, io)
  if (audience.kind === 'recipients') checkFields(doc.path, docText, email.subject, recipients.columns, audience.file)

  // 4. Transport, limits and the ledger
  const smtpUrl = context.env.SMTP_URL ? parseSmtpUrl(context.env.SMTP_URL) : undefined
  const secret = smtpUrl?.secret
  const smtpOptions = await smtpOptionsOf(config, concurrency)
  const transport: Transport = smtpUrl
    ? smtpTransport(smtpUrl, smtpOptions)
    : outboxTransport(relative(process.cwd(), join(config.outDir, 'outbox', slug)) || '.', smtpOptions)
  const ledgerPath = resolve(context.root, request.ledger ?? defaultLedger)
  const ledgerShown = relative(context.root, ledgerPath) || ledgerPath
  try {
    const limits = resolveLimits(settings.relay, settings, request.rate)
    const ics = noticeCalendar(parts, config.settings)
    const prepared = prepareMessages(email, config.settings, {
      test: audience.kind === 'test',
      revision,
      calendar: ics ? calendarMailPart(slug, ics) : undefined,
    })
    checkLinks(audience, recipients.list, prepared, io)
    const { message } = prepared
    const what = `${doc.meta.kind} ${slug}${revision > 1 ? ` revision ${revision}` : ''} ("${email.subject}")`
    const loop = {
      transport,
      concurrency,
      rate: limits.rate,
      attempts: settings.attempts,
      retryDelay: settings.retry_delay,
      giveUpAfter: settings.give_up_after,
      signal: context.signal,
    }

    if (audience.kind === 'test') {
      if (request.dryRun) return printDryRun(io, what, recipients.list, message, transport, limits, 0)
      io.out(`Test send of ${what} to ${recipients.list.map((r) => r.email).join(', ')} via ${transport.describe} (not recorded in the ledger)`)
      const result = await deliver({ ...loop, recipients: recipients.list, message })
      return summarize(io, result, { what, transport, secret, reportHint: undefined })
    }

    if (request.dryRun) {
      const ledger = existsSync(ledgerPath) ? new Ledger(ledgerPath, ledgerShown) : undefined
      const record = ledger?.record(key, transport.destination)
      const done = record ? recipients.list.filter((r) => settled(record.state(r.key))).length : 0
      ledger?.close()
      return printDryRun(io, what, recipients.list, message, transport, limits, done)
    }

    const ledger = new Ledger(ledgerPath, ledgerShown)
    try {
      const tookOver = ledger.lock(slug)
      if (tookOver) io.err(`warning: ${tookOver}`)
      try {
        ledger.adopt(key, transport.destination)
        const record = ledger.record(key, transport.destination)
        const startedWith = ledger.sendDigest(key, transport.destination)
        const before = ledger.counts(key, transport.destination)
        if (startedWith && startedWith !== digest && before.sent > 0) {
          throw new NewsletterError(
            `${slug} was partly sent to ${transport.destination} with different content (approved_digest ${startedWith}); finishing it now would mail two versions`,
            'refused',
            undefined,
            {
              hint: `Finish with the approved content it started with, or start a new send with another --ledger FILE`,
            },
          )
        }
        const todo = recipients.list.filter((r) => !settled(record.state(r.key)))
        if (todo.length === 0) {
          io.out(
            `Nothing to send: all ${recipients.list.length} recipients of ${slug} are already settled for ${transport.destination} in ${ledgerShown} (${before.sent} sent, ${before.failed} failed).`,
          )
          await postAfterSend(request, context, io, ledger, parts, config.settings, transport.destination)
          return before.failed > 0 ? 1 : 0
        }
        const remainingToday =
          limits.dailyLimit === undefined || transport.destination === 'outbox' ? undefined : Math.max(0, limits.dailyLimit - ledger.sentInLastDay())
        if (remainingToday !== undefined && todo.length > remainingToday) {
          io.err(
            `warning: ${todo.length} messages to send but the daily cap allows ${remainingToday} more today (${limits.dailyLimit} a day, ${limits.from}). The rest stay pending: rerun the same command tomorrow to continue.`,
          )
        }
        const resumed = todo.length < recipients.list.length || before.inDoubt > 0 || before.pending > 0
        const question = `${resumed ? 'Resume sending' : 'Send'} ${what} to ${todo.length} recipient${todo.length === 1 ? '' : 's'} via ${transport.describe}?`
        if (!request.yes) {
          if (!context.tty || !context.confirm) {
            throw new NewsletterError(`${question.replace(/\?$/, '')}: refused without --yes when not at a terminal`, 'refused', undefined, {
              hint: 'Check with --dry-run, then add --yes',
            })
          }
          if (!(await context.confirm(question))) {
            io.err('Nothing was sent.')
            return 2
          }
        }
        ledger.enrol(key, transport.destination, digest, recipients.list)
        if (resumed)
          io.out(`Resuming ${slug}: ${recipients.list.length - todo.length} already settled, ${before.inDoubt} in doubt (resent), ${todo.length} to send.`)
        const progress = createProgress((line) => io.err(line), { tty: context.tty, every: context.progressEvery })
        const result = await deliver({ ...loop, recipients: todo, message, ledger: record, remainingToday, onProgress: (p) => progress.update(p) })
        progress.finish(result)
        const reportHint = `newsletter report ${slug}${request.ledger ? ` --ledger ${ledgerShown}` : ''}`
        const code = summarize(io, result, { what, transport, secret, reportHint })
        // A ledger damaged during the run (a truncated WAL) must not let the summary be the last word.
        try {
          ledger.check({ fresh: true })
        } catch (error) {
          throw new NewsletterError(
            `${(error as Error).message}, after this send: it may not hold what the summary above says was sent`,
            'refused',
            undefined,
            {
              cause: error,
              hint: `Do not rerun with it, or people may be mailed twice. Keep a copy, recover it (sqlite3 ${ledgerShown} ".recover" | sqlite3 recovered.sqlite), compare with the summary, then rerun with --ledger recovered.sqlite`,
            },
          )
        }
        if (!result.stopped) await postAfterSend(request, context, io, ledger, parts, config.settings, transport.destination)
        return code
      } finally {
        ledger.unlock(slug)
      }
    } finally {
      ledger.close()
    }
  } catch (error) {
    const known = (error as { code?: unknown }).code
    const failure = typeof known === 'string' && known.startsWith('SQLITE_') ? ledgerError(ledgerShown, error) : error
    if (failure instanceof Error) failure.message = redact(failure.message, secret)
    throw failure
  } finally {
    transport.close()
  }
}

/**
 * After a real send, one post per channel in the settings (an issue's first send, each notice revision), recorded in the
 * ledger so a rerun never posts twice. A failing channel is reported and never stops or undoes the email; webhook URLs
 * come only from the environment and are never printed. A trial into the outbox posts nothing.
 */
async function postAfterSend(
  request: SendRequest,
  context: SendContext,
  io: Output,
  ledger: Ledger,
  parts: RenderedDoc,
  settings: Settings,
  destination: string,
): Promise<void> {
  if (request.channels === false || destination === 'outbox' || settings.channels.length === 0) return
  const results = await postToChannels(channelPost(parts, settings.archive_url), settings.channels, context.env, ledger)
  for (const result of results) {
    if (result.outcome === 'posted') io.out(`Posted to ${result.channel}.`)
    else if (result.outcome === 'failed')
      io.err(
        `warning: could not post to ${result.channel}: ${result.reason ?? 'no reason given'}. The email is not affected; \`newsletter post ${parts.slug}\` tries again.`,
      )
  }
}

/**
 * Settings, the document and its email, rendered exactly as `build` renders them. The one place that
 * asks the content pipeline for a document; problems are printed and give undefined (exit 2).
 */
async function renderForSending(root: string, slug: string, io: Output): Promise<ForSending | undefined> {
  // Only this document is loaded and validated: a typo in another draft never holds up an urgent notice.
  const project = await loadProject(root, { only: (source) => source.slug === slug })
  const config = project.config
  if (!config) {
    io.err(formatText(collectMessages([project.settingsFile])))
    return undefined
  }
  const pipeline = await runPipeline(project, { drafts: true })
  if (failed(pipeline)) {
    const errors = collectMessages(pipeline.files).filter((message) => message.severity === 'error')
    io.err(`${formatText(errors)}\nNothing was sent: fix the errors above first.`)
    return undefined
  }
  const rendered = pipeline.rendered[0]
  const email = pipeline.emails[0]
  if (!rendered || !email) {
    throw new NewsletterError(`No issue or notice named \`${slug}\` in ${relative(root, config.contentDir) || '.'}`, 'refused', undefined, {
      hint: 'The slug is the file name without .md, e.g. 2026-11',
    })
  }
  return { config, doc: rendered.doc, docText: String(rendered.doc.file.value), email, parts: rendered }
}

async function loadRecipients(audience: Audience, allowedDomains: string[] | undefined, io: Output): Promise<{ list: Recipient[]; columns: string[] }> {
  if (audience.kind === 'recipients') {
    const { file, recipients, columns } = await readRecipients(audience.file, { allowedDomains })
    const messages = collectMessages([file])
    if (messages.length > 0) io.err(formatText(messages))
    if (hasErrors([file])) {
      const errors = messages.filter((message) => message.severity === 'error').length
      throw new NewsletterError(`${errors} bad row${errors === 1 ? '' : 's'} in ${audience.file}: nothing was sent`, 'refused', undefined, {
        hint: 'Fix every row listed above, then run the same command again',
      })
    }
    return { list: recipients, columns }
  }
  const addresses = audience.kind === 'list' ? [audience.address] : audience.addresses
  const flag = audience.kind === 'list' ? '--list' : '--to'
  if (addresses.length === 0) throw new NewsletterError(`${flag} needs an address`, 'usage')
  const seen = new Set<string>()
  const list: Recipient[] = []
  for (const email of addresses) {
    if (!isAddress(email))
      throw new NewsletterError(`${flag}: \`${email}\` is not an email address`, 'usage', undefined, { hint: 'Write it like jane.doe@example.com' })
    const key = email.toLowerCase()
    if (audience.kind === 'list' && !inAllowedDomains(email, allowedDomains)) {
      throw new NewsletterError(`--list: \`${email}\` is outside the allowed domains (${allowedDomains!.join(', ')})`, 'refused', undefined, {
        hint: 'Add the domain to send.allowed_domains in content/settings.yml',
      })
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
    throw new NewsletterError(
      `\`{{${field}}}\` has no column in ${csv} (columns: ${columns.join(', ')})`,
      'refused',
      { file: docPath, ...locate(offset) },
      {
        hint: `Add a \`${field}\` column to the CSV, or give a fallback: {{${field}|everyone}}`,
      },
    )
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
      throw new NewsletterError(`Cannot read the DKIM key ${send.dkim.key_file}: ${(error as NodeJS.ErrnoException).code ?? ''}`, 'refused', undefined, {
        cause: error,
        hint: 'send.dkim.key_file is read relative to the project folder',
      })
    }
    options.dkim = { domainName: send.dkim.domain, keySelector: send.dkim.selector, privateKey }
  }
  return options
}

/**
 * A `{{field}}` in a link must leave it an https:, http: or mailto: link for every recipient: a
 * `javascript:` value would run in some mail clients. Every such row is listed before anything is sent.
 */
function checkLinks(audience: Audience, list: readonly Recipient[], prepared: PreparedMessages, io: Output): void {
  const problems: string[] = []
  for (const recipient of list) {
    const unsafe = prepared.unsafeLink(recipient)
    if (!unsafe) continue
    const field = unsafe.fields[0]!
    const place = recipient.places?.[field]
    const where = audience.kind === 'recipients' && place ? `${audience.file}:${place.line}:${place.column}: ` : ''
    problems.push(
      `${where}error: \`${field}\` of ${recipient.email} makes a link \`${unsafe.url}\`, which is not an https:, http: or mailto: link (recipients/link)`,
    )
  }
  if (problems.length === 0) return
  io.err(problems.join('\n'))
  throw new NewsletterError(
    `${problems.length} recipient${problems.length === 1 ? '' : 's'} would get an unsafe link: nothing was sent`,
    'refused',
    undefined,
    {
      hint: `Fix the values in the ${audience.kind === 'recipients' ? 'rows' : 'addresses'} listed above, or put the field after a fixed https:// part of the link in the issue`,
    },
  )
}

function printDryRun(
  io: Output,
  what: string,
  list: Recipient[],
  message: PreparedMessages['message'],
  transport: Transport,
  limits: Limits,
  done: number,
): number {
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

function summarize(
  io: Output,
  result: DeliveryResult,
  context: { what: string; transport: Transport; secret: string | undefined; reportHint: string | undefined },
): number {
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
  const text = redact(lines.join('\n'), context.secret)
  if (result.failed > 0 || result.pending > 0) {
    io.err(text)
    return 1
  }
  io.out(text)
  return 0
}

/** A recipient whose outcome is final: sent, or failed for good. Anything else is still to send. */
function settled(state: State | undefined): boolean {
  return state === 'sent' || state === 'failed'
}
