import { readFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { collectMessages, formatText } from '../check/messages.ts'
import type { Config } from '../config.ts'
import { createLocator } from '../content/position.ts'
import { calendarMailPart, noticeCalendar } from '../email/calendar.ts'
import { findSlots } from '../email/personalize.ts'
import { hasErrors, NewsletterError } from '../errors.ts'
import { openRendered, type RenderedDocument } from '../project/open-document.ts'
import { checkApproval, needsApproval } from '../content/approval.ts'
import { requireSignedApproval } from '../content/signature.ts'
import { defaultLedger } from './ledger.ts'
import type { PreparedMessages } from './message.ts'
import { departmentLists, prepareEditions, type EditionPlan } from './editions.ts'
import { formatLabel, inAllowedDomains, isAddress, readRecipients, type Recipient, type RecipientList, type RecipientRules } from './recipients.ts'
import { resolveLimits, type Limits } from './relays.ts'
import { defaultConcurrency } from './send-loop.ts'
import { openDestination, resolveDestination, secretsOf, type Destination } from './destination.ts'
import { checkSetup, formatFinding } from './doctor.ts'
import { graphMailboxConcurrency } from './graph-transport.ts'
import type { SmtpOptions, Transport } from './transport.ts'

/** Who a send goes to. */
export type Audience =
  { kind: 'recipients'; file: string } | { kind: 'list'; address: string } | { kind: 'departments' } | { kind: 'test'; addresses: string[] }

/** One send, as asked for. */
export interface SendRequest {
  slug: string
  audience: Audience
  /** SMTP connections (default: defaultConcurrency, 5). */
  concurrency?: number
  /** Messages per second; overrides the settings and the relay preset. */
  rate?: number
  /** The ledger file, relative to the project (default: `.newsletter/sends.sqlite`). */
  ledger?: string
}

export type { Destination } from './destination.ts'

/** Everything that will go out, checked: printed by `--dry-run`, carried out by `executeSend`. */
export interface SendPlan {
  document: RenderedDocument
  audience: Audience
  /** `issue 2026-11 ("November: …")`, `notice x revision 3 ("…")`: how messages name what is sent. */
  what: string
  recipients: Recipient[]
  /** The digest the recipients are enrolled with: the approved one, else the content's own. */
  digest: string
  destination: Destination
  smtp: SmtpOptions
  limits: Limits
  message: PreparedMessages['message']
  /** Each department's edition (one for a project without departments): rendered once, whatever the number of people. */
  editions: EditionPlan[]
  /** How the recipients were read (`Read users.csv as an Entra ID user export: …`), when from a file. */
  audienceNote?: string
  /** Where the ledger is, and how messages name it. */
  ledger: { path: string; shown: string }
  /** Problems worth a look that do not stop the send (recipient rows, settings): already formatted. */
  warnings: string[]
}

/** What planning takes from outside the request. */
export interface PlanContext {
  /** The project folder (content/, layouts/, dist/). */
  root: string
  env: Readonly<Record<string, string | undefined>>
}

/**
 * Check everything a send needs and say exactly what will go out, sending nothing: the document rendered as `build`
 * renders it and approved (unless a test), every recipient row valid, every link safe for every recipient, the relay,
 * its limits and the ledger. Anything wrong throws a NewsletterError (exit 2) before the first message.
 */
export async function planSend(request: SendRequest, context: PlanContext): Promise<SendPlan> {
  const { slug, audience } = request
  // 1. The document, rendered and checked; only approved content that has not changed since goes out for real
  const document = await openRendered(context.root, slug, { refusal: 'Nothing was sent', code: 'refused' })
  const { config, doc, text, email, parts, revision } = document
  if (audience.kind !== 'test' && needsApproval(doc, config.settings)) {
    checkApproval(doc, text)
    await requireSignedApproval(doc, config)
  }
  // 2. Recipients, every row checked
  const send = config.settings.send ?? {}
  const departments = document.project.departments.departments
  // A notice for some departments goes only to their people or lists.
  const only = doc.meta.kind === 'notice' ? doc.meta.departments : undefined
  const loaded =
    audience.kind === 'departments'
      ? { recipients: departmentLists(departments, only), columns: ['email', 'name', 'department'], warnings: [] }
      : await loadRecipients(audience, send.allowed_domains, { departments, columns: send.recipients_columns })
  const recipients = only && audience.kind === 'recipients' ? loaded.recipients.filter((r) => r.department && only.includes(r.department)) : loaded.recipients
  const { columns, warnings } = loaded
  if (audience.kind === 'recipients') checkFields(doc.path, text, email.subject, columns, audience.file)
  if (recipients.length === 0 && only)
    throw new NewsletterError(`Nobody to send ${slug} to: no recipient is in ${only.join(', ')}, the departments it is for`, 'refused')
  // 3. The messages, one edition per department, and every link in them safe for every recipient
  const ics = noticeCalendar(parts, config.settings)
  const prepared = await prepareEditions(document, recipients, {
    test: audience.kind === 'test',
    revision,
    calendar: ics ? calendarMailPart(slug, ics) : undefined,
  })
  checkRecipientLinks(audience, recipients, prepared)
  // 4. Where they go, how fast, and where it is recorded
  const ledgerPath = resolve(context.root, request.ledger ?? defaultLedger)
  const destination = resolveDestination(config.settings, context.env, relative(process.cwd(), join(config.outDir, 'outbox', slug)) || '.')
  const smtp = await smtpOptionsOf(config, request.concurrency ?? (destination.kind === 'graph' ? graphMailboxConcurrency : defaultConcurrency))
  const limits = resolveLimits(send.relay, send, request.rate)
  // 5. The same checks as `newsletter doctor`, short of connecting: an error stops the send before its first message
  const findings = await checkSetup({ config, destination, smtp, limits, recipients: recipients.length, fetchToken: true, connect: false })
  const errors = findings.filter((finding) => finding.level === 'error')
  if (errors.length > 0)
    throw new NewsletterError(`the send set-up has ${errors.length} error${errors.length === 1 ? '' : 's'}: nothing was sent`, 'refused', undefined, {
      details: errors.map(formatFinding).join('\n'),
      hint: 'Fix what is listed above (`newsletter doctor` checks it again, connecting to the server too), then run the same command again',
    })
  return {
    document,
    audience,
    what: `${doc.meta.kind} ${slug}${revision > 1 ? ` revision ${revision}` : ''} ("${email.subject}")`,
    recipients,
    digest: doc.meta.approved_digest ?? document.approval.digest,
    destination,
    smtp,
    limits,
    message: prepared.message,
    editions: prepared.editions,
    audienceNote: 'note' in loaded ? loaded.note : undefined,
    ledger: { path: ledgerPath, shown: relative(context.root, ledgerPath) || ledgerPath },
    warnings: [
      ...(document.warnings.length > 0 ? [formatText(document.warnings)] : []),
      ...warnings,
      // A send into the outbox is a trial, said as much in its summary: the doctor's outbox warning is for `doctor`.
      ...(destination.kind === 'outbox' ? [] : findings.filter((finding) => finding.level === 'warning').map(formatFinding)),
    ],
  }
}

/** The transport a plan's messages go through; the caller closes it. */
export function openTransport(plan: SendPlan): Transport {
  return openDestination(plan.destination, plan.smtp)
}

/** The secrets a plan's destination holds (an SMTP password, the OAuth client secret and tokens), to hide from anything printed. */
export function secretOf(plan: SendPlan): string[] {
  return secretsOf(plan.destination)
}

async function loadRecipients(
  audience: Exclude<Audience, { kind: 'departments' }>,
  allowedDomains: string[] | undefined,
  mapping: Pick<RecipientRules, 'departments' | 'columns'>,
): Promise<{ recipients: Recipient[]; columns: string[]; warnings: string[]; note?: string }> {
  if (audience.kind === 'recipients') {
    const list = await readRecipients(audience.file, { allowedDomains, ...mapping })
    const { file, recipients, columns } = list
    const messages = collectMessages([file])
    if (hasErrors([file])) {
      const errors = messages.filter((message) => message.severity === 'error').length
      throw new NewsletterError(`${errors} bad row${errors === 1 ? '' : 's'} in ${audience.file}: nothing was sent`, 'refused', undefined, {
        details: formatText(messages),
        hint: 'Fix every row listed above, then run the same command again',
      })
    }
    return { recipients, columns, warnings: messages.length > 0 ? [formatText(messages)] : [], note: noteOf(audience.file, list) }
  }
  const addresses = audience.kind === 'list' ? [audience.address] : audience.addresses
  const flag = audience.kind === 'list' ? '--list' : '--to'
  if (addresses.length === 0) throw new NewsletterError(`${flag} needs an address`, 'usage')
  const seen = new Set<string>()
  const recipients: Recipient[] = []
  for (const email of addresses) {
    if (!isAddress(email))
      throw new NewsletterError(`${flag}: \`${email}\` is not an email address`, 'usage', undefined, { hint: 'Write it like jane.doe@example.com' })
    // A test send carries a draft: it may go only where the real send may (an unapproved text must not leave the company).
    if (!inAllowedDomains(email, allowedDomains)) {
      throw new NewsletterError(`${flag}: \`${email}\` is outside the allowed domains (${allowedDomains!.join(', ')})`, 'refused', undefined, {
        hint: 'Add the domain to send.allowed_domains in content/settings.yml',
      })
    }
    const key = email.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    recipients.push({ email, key, fields: { email } })
  }
  return { recipients, columns: ['email'], warnings: [] }
}

/** `Read users.csv as an Entra ID user export: 4,980 people; skipped 12 disabled accounts, 3 guests.` */
function noteOf(path: string, list: RecipientList): string {
  const { disabled, guests, noAddress } = list.skipped
  const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`
  const skipped = [
    disabled > 0 && plural(disabled, 'disabled account', 'disabled accounts'),
    guests > 0 && plural(guests, 'guest', 'guests'),
    noAddress > 0 && plural(noAddress, 'account without a mail address', 'accounts without a mail address'),
  ].filter(Boolean)
  return `Read ${path} as ${formatLabel(list.format)}: ${plural(list.recipients.length, 'person', 'people')}${skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : ''}.`
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
      { hint: `Add a \`${field}\` column to the CSV, or give a fallback: {{${field}|everyone}}` },
    )
  }
  for (const { field, fallback } of findSlots(subject)) {
    if (!known.has(field) && !fallback) throw new NewsletterError(`\`{{${field}}}\` in the subject has no column in ${csv}`, 'refused')
  }
}

/** The SMTP options (and DKIM key) from the settings. */
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
    let privateKey: string
    try {
      privateKey = await readFile(resolve(config.root, send.dkim.key_file), 'utf8')
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
 * A `{{field}}` in a link must leave it an https:, http: or mailto: link for every recipient: a `javascript:` value
 * would run in some mail clients. Every such row is listed before anything is sent.
 */
function checkRecipientLinks(audience: Audience, recipients: readonly Recipient[], prepared: PreparedMessages): void {
  const problems: string[] = []
  for (const recipient of recipients) {
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
  throw new NewsletterError(
    `${problems.length} recipient${problems.length === 1 ? '' : 's'} would get an unsafe link: nothing was sent`,
    'refused',
    undefined,
    {
      details: problems.join('\n'),
      hint: `Fix the values in the ${audience.kind === 'recipients' ? 'rows' : 'addresses'} listed above, or put the field after a fixed https:// part of the link in the issue`,
    },
  )
}
