import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline/promises'
import type { Command } from './command.ts'
import { NewsletterError } from '../errors.ts'
import type { Io } from '../io.ts'
import { channelPost, postToChannels } from '../send/channels.ts'
import { executeSend, settledCount, type ExecuteContext, type SendOutcome } from '../send/execute.ts'
import { defaultLedger, Ledger, ledgerError } from '../send/ledger.ts'
import { openTransport, planSend, secretOf, type Audience, type PlanContext, type SendPlan } from '../send/plan.ts'
import { deliverySummary, describePlan, settledSummary } from '../send/summary.ts'
import { redact, type Transport } from '../send/transport.ts'
import { defaultConcurrency } from '../send/send-loop.ts'

/** `newsletter send <slug>`: validate everything, then mail an approved issue or notice, resumably. */
export const sendCommand: Command = {
  name: 'send',
  usage:
    'send <slug> (--recipients FILE | --departments | --list ADDR | --to ADDR[,ADDR…]) [--dry-run] [--yes] [--ledger FILE] [--concurrency N] [--rate N] [--no-channels]',
  allowPositionals: true,
  options: {
    recipients: { type: 'string' },
    to: { type: 'string' },
    list: { type: 'string' },
    departments: { type: 'boolean' },
    'dry-run': { type: 'boolean', default: false },
    ledger: { type: 'string' },
    concurrency: { type: 'string' },
    rate: { type: 'string' },
    yes: { type: 'boolean', default: false },
    'no-channels': { type: 'boolean', default: false },
  },
  help: {
    '--recipients FILE':
      "CSV with a header row: `email` required, or an Entra ID, Active Directory or Google Workspace user export; each person gets their department's edition",
    '--departments': 'one message per department, its edition to its `list` address in content/departments.yml',
    '--to ADDR[,ADDR…]': 'test send to these addresses only: subject starts with [TEST], any status, not recorded',
    '--list ADDR': 'one message to one distribution-list address',
    '--dry-run': 'validate and render everything, print what would be sent, send nothing',
    '--ledger FILE': `the send ledger (default: ${defaultLedger})`,
    '--concurrency N': `SMTP connections (default: ${defaultConcurrency})`,
    '--rate N': 'messages per second (default: the relay preset, else no limit)',
    '--yes': 'do not ask for confirmation (required when not at a terminal)',
    '--no-channels': 'do not post to the Teams and Slack channels in the settings after the send',
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

/** What `send` takes from outside the command line; the CLI passes the real process, tests their own. */
export interface SendContext extends PlanContext, Omit<ExecuteContext, 'transport' | 'ledger' | 'io' | 'yes'> {}

/** The send command's flags read into a plan, carried out (or printed, with --dry-run); returns the exit code. */
export async function runSend(values: Record<string, unknown>, positionals: string[], io: Io, context: SendContext): Promise<number> {
  const slug = positionals[0]
  if (!slug || positionals.length > 1) throw new NewsletterError('Give exactly one slug: newsletter send 2026-11 --recipients staff.csv', 'usage')
  const plan = await planSend(
    {
      slug,
      audience: audienceOf(values),
      concurrency: count(values.concurrency, '--concurrency'),
      rate: values.rate === undefined ? undefined : positive(values.rate, '--rate'),
      ledger: values.ledger === undefined ? undefined : String(values.ledger),
    },
    context,
  )
  for (const warning of plan.warnings) io.err(warning)
  if (plan.audienceNote && !values['dry-run']) io.out(plan.audienceNote)
  const transport = openTransport(plan)
  const real = plan.audience.kind !== 'test'
  try {
    if (values['dry-run']) {
      io.out(describePlan(plan, transport, real ? settledBefore(plan, transport) : 0))
      return 0
    }
    const ledger = real ? new Ledger(plan.ledger.path, plan.ledger.shown) : undefined
    try {
      const outcome = await executeSend(plan, { ...context, transport, ledger, io, yes: Boolean(values.yes) })
      const code = printOutcome(plan, outcome, transport, io, values.ledger !== undefined)
      const complete = outcome.kind === 'settled' || (outcome.kind === 'delivered' && !outcome.result.stopped)
      if (ledger && complete && !values['no-channels']) await postAfterSend(plan, context.env, ledger, transport.destination, io)
      return code
    } finally {
      ledger?.close()
    }
  } catch (error) {
    const known = (error as { code?: unknown }).code
    const failure = typeof known === 'string' && known.startsWith('SQLITE_') ? ledgerError(plan.ledger.shown, error) : error
    if (failure instanceof Error) failure.message = redact(failure.message, secretOf(plan))
    throw failure
  } finally {
    transport.close()
  }
}

/** How many recipients an earlier run already settled, read from the ledger when there is one (a dry run creates none). */
function settledBefore(plan: SendPlan, transport: Transport): number {
  if (!existsSync(plan.ledger.path)) return 0
  const ledger = new Ledger(plan.ledger.path, plan.ledger.shown)
  try {
    return settledCount(plan, ledger, transport.destination)
  } finally {
    ledger.close()
  }
}

function printOutcome(plan: SendPlan, outcome: SendOutcome, transport: Transport, io: Io, ownLedger: boolean): number {
  if (outcome.kind === 'declined') {
    io.err('Nothing was sent.')
    return 2
  }
  if (outcome.kind === 'settled') {
    io.out(settledSummary(plan, transport.destination, outcome.counts))
    return outcome.counts.failed > 0 ? 1 : 0
  }
  const real = plan.audience.kind !== 'test'
  const reportHint = real ? `newsletter report ${plan.document.doc.slug}${ownLedger ? ` --ledger ${plan.ledger.shown}` : ''}` : undefined
  const summary = deliverySummary(outcome.result, { what: plan.what, transport, secret: secretOf(plan), reportHint })
  ;(summary.failed ? io.err : io.out)(summary.text)
  if (outcome.damaged) throw outcome.damaged
  return summary.failed ? 1 : 0
}

/**
 * After a real send, one post per channel in the settings (an issue's first send, each notice revision), recorded in the
 * ledger so a rerun never posts twice. A failing channel is reported and never stops or undoes the email; webhook URLs
 * come only from the environment and are never printed. A trial into the outbox posts nothing.
 */
async function postAfterSend(plan: SendPlan, env: SendContext['env'], ledger: Ledger, destination: string, io: Io): Promise<void> {
  const { settings } = plan.document.config
  if (destination === 'outbox' || settings.channels.length === 0) return
  const results = await postToChannels(channelPost(plan.document.parts, settings.archive_url), settings.channels, env, ledger)
  for (const result of results) {
    if (result.outcome === 'posted') io.out(`Posted to ${result.channel}.`)
    else if (result.outcome === 'failed')
      io.err(
        `warning: could not post to ${result.channel}: ${result.reason ?? 'no reason given'}. The email is not affected; \`newsletter post ${plan.document.doc.slug}\` tries again.`,
      )
  }
}

function audienceOf(values: Record<string, unknown>): Audience {
  const given = (['recipients', 'departments', 'list', 'to'] as const).filter((key) => values[key] !== undefined)
  if (given.length !== 1) {
    throw new NewsletterError(
      given.length === 0
        ? 'Say who to send to: --recipients FILE, --departments, --list ADDR or --to ADDR'
        : `Use one of --recipients, --departments, --list and --to, not ${given.map((key) => `--${key}`).join(' and ')}`,
      'usage',
    )
  }
  if (values.departments !== undefined) return { kind: 'departments' }
  if (values.recipients !== undefined) return { kind: 'recipients', file: String(values.recipients) }
  if (values.list !== undefined) return { kind: 'list', address: String(values.list).trim() }
  return {
    kind: 'test',
    addresses: String(values.to)
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean),
  }
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
