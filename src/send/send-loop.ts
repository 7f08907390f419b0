import { setTimeout as sleep } from 'node:timers/promises'
import type Mail from 'nodemailer/lib/mailer'
import type { SendRecord } from './ledger.ts'
import type { Recipient } from './recipients.ts'
import { SendError, type Transport } from './transport.ts'

/** One run of the send loop. */
export interface Delivery {
  /** Who to mail this run (already-accepted recipients are skipped by the caller or by the ledger). */
  recipients: readonly Recipient[]
  message(recipient: Recipient): Mail.Options
  transport: Transport
  /** Where states are recorded; absent for test sends, which are not recorded. */
  ledger?: SendRecord
  /** Messages in flight at once (default: `defaultConcurrency`). */
  concurrency?: number
  /** Highest messages per second (default: unlimited); "too fast" replies slow the pace to no less than a quarter of it. */
  rate?: number
  /** Messages this run may still start before the relay's daily cap (default: no cap). */
  remainingToday?: number
  /** Attempts per recipient within this run for transient failures (default 3). */
  attempts?: number
  /** First retry delay in ms, doubled per attempt, capped at 30 s (default 2000). */
  retryDelay?: number
  /** Stop when the server has not answered for this long, only failing to connect (ms, default 60000). */
  giveUpAfter?: number
  /** Aborting stops taking new recipients; messages in flight finish. */
  signal?: AbortSignal
  onProgress?(progress: Progress): void
}

/** Counts so far in a run. */
export interface Progress {
  total: number
  sent: number
  failed: number
  /** Left for a later run: transient failures out of attempts, or never started. */
  pending: number
  /** Retries after 4xx replies or dropped connections. */
  retries: number
  started: number
}

/** How a run ended. */
export interface DeliveryResult extends Progress {
  /** Why the run stopped early, if it did. */
  stopped?: 'signal' | 'daily-limit' | 'fatal' | 'unreachable'
  /** What stopped the run: the server's reply, or why it is unreachable (already redacted). */
  fatalReply?: string
  /** What to do about the error that stopped the run, when there is something specific. */
  fatalHint?: string
  /** Every permanent failure of this run, with the reply. */
  failures: { email: string; reply: string }[]
  seconds: number
}

/** Messages in flight at once, and so SMTP connections, when a send does not say. */
export const defaultConcurrency = 5

const maxDelay = 30_000
// Between connection attempts to a server that is not answering, wait at most this long.
const maxHold = 5_000

interface Attempt {
  recipient: Recipient
  /** 4xx replies so far, and connection-level failures so far: counted apart (see `send`). */
  replies: number
  drops: number
  /** Not before this time (performance.now()). */
  at: number
}

/**
 * Send one message per recipient over `concurrency` workers. A transient failure defers its recipient
 * to later in the same run, so no worker sits out a backoff; the pace adapts (see Pacer); and a server
 * that only fails to connect for `giveUpAfter` ms stops the run with everyone not yet sent pending.
 */
export async function deliver(job: Delivery): Promise<DeliveryResult> {
  const started = performance.now()
  const { ledger, signal } = job
  const fresh = job.recipients.values()
  const deferred: Attempt[] = []
  const pacer = new Pacer(job.rate)
  const attempts = job.attempts ?? 3
  const retryDelay = job.retryDelay ?? 2000
  const giveUpAfter = job.giveUpAfter ?? 60_000
  let budget = job.remainingToday ?? Infinity
  let inFlight = 0
  let capped = false
  // The circuit: when the server last answered at all, and how many connection failures followed.
  let lastAnswer = started
  let streak = 0
  let holdUntil = 0
  const result: DeliveryResult = { total: job.recipients.length, sent: 0, failed: 0, pending: 0, retries: 0, started: 0, failures: [], seconds: 0 }
  const report = () => job.onProgress?.({ ...result, pending: result.total - result.sent - result.failed })
  // Wakes workers waiting for a deferred recipient: on a new deferral, a finished message, or the end.
  // Aborted with a plain reason: the default one is a DOMException, whose stack costs more than a message.
  const halt = new AbortController()
  let wake = new AbortController()
  let waiting = 0
  const notify = () => {
    if (waiting === 0) return
    wake.abort(false)
    wake = new AbortController()
  }
  const stop = (reason: DeliveryResult['stopped']) => {
    result.stopped ??= reason
    halt.abort(false)
    notify()
  }
  const onAbort = () => stop('signal')
  if (signal?.aborted) onAbort()
  signal?.addEventListener('abort', onAbort, { once: true })

  const take = async (): Promise<Attempt | undefined> => {
    for (;;) {
      if (result.stopped) return undefined
      const now = performance.now()
      const due = deferred.findIndex((item) => item.at <= now)
      if (due >= 0) return deferred.splice(due, 1)[0]
      if (budget > 0) {
        const next = fresh.next()
        if (!next.done) {
          budget--
          result.started++
          return { recipient: next.value, replies: 0, drops: 0, at: now }
        }
      } else if (!capped && !fresh.next().done) {
        // At the daily cap: no new recipients, but those already started still get their retries.
        capped = true
      }
      if (deferred.length === 0 && inFlight === 0) return undefined
      const until = deferred.length > 0 ? Math.min(...deferred.map((item) => item.at)) - now : Infinity
      waiting++
      await pause(Math.min(until, maxDelay), AbortSignal.any([wake.signal, halt.signal]))
      waiting--
    }
  }

  const worker = async () => {
    for (;;) {
      const attempt = await take()
      if (!attempt) return
      inFlight++
      try {
        await pause(holdUntil - performance.now(), halt.signal)
        await pacer.wait(halt.signal)
        // Stopped while waiting for a slot: this one was not sent; it stays pending.
        if (result.stopped) return
        await send(attempt)
      } finally {
        inFlight--
        notify()
      }
      report()
    }
  }

  const send = async (attempt: Attempt) => {
    const { recipient } = attempt
    ledger?.markSending(recipient.key)
    try {
      const reply = await job.transport.send(job.message(recipient))
      ledger?.markSent(recipient.key, reply)
      result.sent++
      lastAnswer = performance.now()
      streak = 0
      pacer.speedUp()
      return
    } catch (error) {
      if (!(error instanceof SendError)) throw error
      if (error.fatal) {
        ledger?.markSettled(recipient.key, 'pending', error.message)
        result.fatalReply = error.message
        result.fatalHint = error.hint
        stop('fatal')
        return
      }
      if (error.tooFast) pacer.slowDown()
      if (!error.connection) {
        lastAnswer = performance.now()
        streak = 0
      }
      if (error.permanent) {
        ledger?.markSettled(recipient.key, 'failed', error.message)
        result.failed++
        result.failures.push({ email: recipient.email, reply: error.message })
        return
      }
      ledger?.markSettled(recipient.key, 'pending', error.message)
      const now = performance.now()
      if (error.connection) {
        streak++
        if (now - lastAnswer >= giveUpAfter) {
          result.fatalReply = `no answer from ${job.transport.server} for ${Math.round((now - lastAnswer) / 1000)} s (last error: ${error.message})`
          result.fatalHint =
            'Check that the server in SMTP_URL is up and reachable from here (host, port, firewall, VPN), then rerun the same command to resume'
          stop('unreachable')
          return
        }
        // A second connection failure in a row, with nothing accepted in between, looks like the server
        // and not one cut connection: every worker waits before the next attempt, backing off, never
        // past the moment the circuit would open.
        if (streak >= 2) holdUntil = Math.max(holdUntil, now + Math.min(retryDelay * 2 ** Math.min(streak - 2, 16), maxHold, lastAnswer + giveUpAfter - now))
      }
      // 4xx replies and connection failures are counted apart: a relay that throttles, then drops a
      // connection, should not use up a recipient's attempts twice as fast. While every connection
      // fails the server is at fault, not this recipient: the circuit decides when to stop.
      const tries = error.connection ? (streak >= 2 ? attempt.drops : ++attempt.drops) : ++attempt.replies
      if (tries >= attempts || result.stopped) return
      result.retries++
      // A server that says when to come back (HTTP Retry-After) is believed, even past the usual backoff.
      attempt.at = now + Math.max(Math.min(retryDelay * 2 ** (tries - 1), maxDelay), error.retryAfter ?? 0)
      deferred.push(attempt)
    }
  }

  // An unexpected error (the ledger failing mid-run) stops every worker before it is passed on, so none
  // is left writing to a ledger the caller is about to close.
  let unexpected: unknown
  const guarded = () =>
    worker().catch((error: unknown) => {
      unexpected ??= error
      stop('fatal')
    })
  await Promise.all(Array.from({ length: Math.max(1, job.concurrency ?? defaultConcurrency) }, guarded))
  signal?.removeEventListener('abort', onAbort)
  if (unexpected) throw unexpected
  if (capped) result.stopped ??= 'daily-limit'
  result.pending = result.total - result.sent - result.failed
  result.seconds = (performance.now() - started) / 1000
  return result
}

/** Sleep unless aborted; false when the signal cut it short. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (ms <= 0) return true
  try {
    await sleep(ms, undefined, { signal })
    return true
  } catch {
    return false
  }
}

/**
 * Spaces message starts across all workers: additive increase, multiplicative decrease. A "too fast"
 * reply halves the pace (never below the floor); each acceptance adds back a little, so a relay that
 * throttled for a minute is back at full speed seconds after it stops.
 */
class Pacer {
  /** Messages per second now; Infinity: no spacing. */
  private limit: number
  private readonly ceiling: number
  private readonly floor: number
  private next = 0
  /** Start times over the last second, and the first start of the run. */
  private readonly starts: number[] = []
  private first = -1
  /** Without a configured rate: the best rate seen before any slowdown, which recovery aims for. */
  private peak = 0
  private lastDecrease = -Infinity

  constructor(rate: number | undefined) {
    this.ceiling = rate ?? Infinity
    this.limit = this.ceiling
    // The slowest a "too fast" reply brings the pace to: a quarter of the configured rate, else 1 a second.
    this.floor = Math.min(rate ? rate / 4 : 1, this.ceiling)
  }

  async wait(signal: AbortSignal): Promise<void> {
    const now = performance.now()
    if (this.limit === Infinity) {
      this.started(now)
      this.peak = Math.max(this.peak, this.measured(now))
      return
    }
    const at = Math.max(now, this.next)
    this.next = at + 1000 / this.limit
    this.started(at)
    await pause(at - now, signal)
  }

  /** Halve the pace from what is actually being sent (unlimited starts from the measured rate). */
  slowDown(): void {
    const now = performance.now()
    // Replies to the messages already in flight repeat the same signal: one decrease per second.
    if (now - this.lastDecrease < 1000) return
    this.lastDecrease = now
    const from = Math.min(this.limit, this.measured(now) || this.floor * 2)
    this.limit = Math.max(this.floor, from / 2)
    this.next = Math.max(this.next, now + 1000 / this.limit)
  }

  /** One more acceptance: add back a tenth of the full pace per second of acceptances. */
  speedUp(): void {
    if (this.limit >= this.ceiling) return
    const full = Number.isFinite(this.ceiling) ? this.ceiling : Math.max(this.peak, this.floor * 2)
    this.limit += full / 10 / this.limit
    // Without a configured rate, back at the best rate seen means spacing no longer helps.
    if (this.limit >= full) this.limit = this.ceiling
  }

  private started(at: number): void {
    if (this.first < 0) this.first = at
    this.starts.push(at)
    while (this.starts[0]! < at - 1000) this.starts.shift()
  }

  /** Starts per second over the last second (the first 100 ms of a run count as a tenth of a second). */
  private measured(now: number): number {
    if (this.first < 0) return 0
    return this.starts.length / (Math.min(1000, Math.max(100, now - this.first)) / 1000)
  }
}
