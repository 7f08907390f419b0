import { NewsletterError } from '../errors.ts'
import type { Io } from '../io.ts'
import type { Counts, Ledger, State } from './ledger.ts'
import type { SendPlan } from './plan.ts'
import { createProgress } from './progress.ts'
import { deliver, type DeliveryResult } from './send-loop.ts'
import type { Transport } from './transport.ts'

/** What carrying out a plan takes besides the plan: where to send and record, and the person (or not) running it. */
export interface ExecuteContext {
  transport: Transport
  /** Where a real send records each recipient; test sends are not recorded. */
  ledger?: Ledger
  io: Io
  /** Whether a person is at a terminal: decides the prompt and the progress bar. */
  tty: boolean
  /** Do not ask for confirmation. */
  yes?: boolean
  /** Ask a yes/no question (only called when `tty`). */
  confirm?(question: string): Promise<boolean>
  /** Ctrl-C / SIGTERM: stop taking recipients, let what is in flight finish. */
  signal?: AbortSignal
  /** Milliseconds between progress lines when not on a terminal (default 5000). */
  progressEvery?: number
}

/**
 * How a send ended: the person said no, every recipient was already settled, or this run's delivery — with, when the
 * ledger was found damaged after it, the error to raise once the summary is printed.
 */
export type SendOutcome = { kind: 'declined' } | { kind: 'settled'; counts: Counts } | { kind: 'delivered'; result: DeliveryResult; damaged?: NewsletterError }

/**
 * Carry out a plan: a test send straight to its addresses; a real one under the ledger's lock for this document,
 * resuming where an earlier run stopped, never mailing a recipient already settled nor finishing a send begun with
 * other content. The lock is released before this returns, so posting to channels afterwards never holds up a send.
 */
export async function executeSend(plan: SendPlan, context: ExecuteContext): Promise<SendOutcome> {
  const loop = loopOf(plan, context)
  if (plan.audience.kind === 'test') {
    context.io.out(
      `Test send of ${plan.what} to ${plan.recipients.map((r) => r.email).join(', ')} via ${context.transport.describe} (not recorded in the ledger)`,
    )
    return { kind: 'delivered', result: await deliver({ ...loop, recipients: plan.recipients }) }
  }
  const { ledger } = context
  if (!ledger) throw new Error('A real send needs a ledger')
  const slug = plan.document.doc.slug
  const tookOver = ledger.lock(slug)
  if (tookOver) context.io.err(`warning: ${tookOver}`)
  try {
    return await sendUnderLock(plan, ledger, context, loop)
  } finally {
    ledger.unlock(slug)
  }
}

/** How many of a plan's recipients the ledger already has as settled (sent, or failed for good). */
export function settledCount(plan: SendPlan, ledger: Ledger, destination: string): number {
  const record = ledger.record(plan.document.sendKey, destination)
  return plan.recipients.filter((r) => settled(record.state(r.key))).length
}

async function sendUnderLock(plan: SendPlan, ledger: Ledger, context: ExecuteContext, loop: ReturnType<typeof loopOf>): Promise<SendOutcome> {
  const { sendKey: key, doc } = plan.document
  const destination = context.transport.destination
  ledger.adopt(key, destination)
  const record = ledger.record(key, destination)
  const before = ledger.counts(key, destination)
  const startedWith = ledger.sendDigest(key, destination)
  if (startedWith && startedWith !== plan.digest && before.sent > 0) {
    throw new NewsletterError(
      `${doc.slug} was partly sent to ${destination} with different content (approved_digest ${startedWith}); finishing it now would mail two versions`,
      'refused',
      undefined,
      { hint: 'Finish with the approved content it started with, or start a new send with another --ledger FILE' },
    )
  }
  const todo = plan.recipients.filter((r) => !settled(record.state(r.key)))
  if (todo.length === 0) return { kind: 'settled', counts: before }
  const remainingToday = remainingTodayOf(plan, ledger, destination)
  if (remainingToday !== undefined && todo.length > remainingToday) {
    context.io.err(
      `warning: ${todo.length} messages to send but the daily cap allows ${remainingToday} more today (${plan.limits.dailyLimit} a day, ${plan.limits.from}). The rest stay pending: rerun the same command tomorrow to continue.`,
    )
  }
  const resumed = todo.length < plan.recipients.length || before.inDoubt > 0 || before.pending > 0
  const question = `${resumed ? 'Resume sending' : 'Send'} ${plan.what} to ${todo.length} recipient${todo.length === 1 ? '' : 's'} via ${context.transport.describe}?`
  if (!(await confirmed(question, context))) return { kind: 'declined' }
  ledger.enrol(key, destination, plan.digest, plan.recipients)
  if (resumed)
    context.io.out(
      `Resuming ${doc.slug}: ${plan.recipients.length - todo.length} already settled, ${before.inDoubt} in doubt (resent), ${todo.length} to send.`,
    )
  const progress = createProgress((line) => context.io.err(line), { tty: context.tty, every: context.progressEvery })
  const result = await deliver({ ...loop, recipients: todo, ledger: record, remainingToday, onProgress: (p) => progress.update(p) })
  progress.finish(result)
  return { kind: 'delivered', result, damaged: damageAfter(ledger, plan) }
}

function loopOf(plan: SendPlan, context: ExecuteContext) {
  const send = plan.document.config.settings.send ?? {}
  return {
    transport: context.transport,
    message: plan.message,
    concurrency: plan.smtp.connections,
    rate: plan.limits.rate,
    attempts: send.attempts,
    retryDelay: send.retry_delay,
    giveUpAfter: send.give_up_after,
    signal: context.signal,
  }
}

function remainingTodayOf(plan: SendPlan, ledger: Ledger, destination: string): number | undefined {
  const { dailyLimit } = plan.limits
  return dailyLimit === undefined || destination === 'outbox' ? undefined : Math.max(0, dailyLimit - ledger.sentInLastDay())
}

async function confirmed(question: string, context: ExecuteContext): Promise<boolean> {
  if (context.yes) return true
  if (!context.tty || !context.confirm) {
    throw new NewsletterError(`${question.replace(/\?$/, '')}: refused without --yes when not at a terminal`, 'refused', undefined, {
      hint: 'Check with --dry-run, then add --yes',
    })
  }
  return context.confirm(question)
}

/** A ledger damaged during the run (a truncated WAL) must not let the summary be the last word. */
function damageAfter(ledger: Ledger, plan: SendPlan): NewsletterError | undefined {
  try {
    ledger.check({ fresh: true })
    return undefined
  } catch (error) {
    const shown = plan.ledger.shown
    return new NewsletterError(`${(error as Error).message}, after this send: it may not hold what the summary above says was sent`, 'refused', undefined, {
      cause: error,
      hint: `Do not rerun with it, or people may be mailed twice. Keep a copy, recover it (sqlite3 ${shown} ".recover" | sqlite3 recovered.sqlite), compare with the summary, then rerun with --ledger recovered.sqlite`,
    })
  }
}

/** A recipient whose outcome is final: sent, or failed for good. Anything else is still to send. */
function settled(state: State | undefined): boolean {
  return state === 'sent' || state === 'failed'
}
