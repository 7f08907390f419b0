import { setTimeout as sleep } from 'node:timers/promises'
import type Mail from 'nodemailer/lib/mailer'
import type { Ledger } from './ledger.ts'
import type { Recipient } from './recipients.ts'
import { SendError, type Transport } from './transport.ts'

/** One run of the send loop. */
export interface Delivery {
  slug: string
  /** Who to mail this run (already-accepted recipients are skipped by the caller or by the ledger). */
  recipients: readonly Recipient[]
  message(recipient: Recipient): Mail.Options
  transport: Transport
  /** Where states are recorded; absent for test sends, which are not recorded. */
  ledger?: Ledger
  /** Messages in flight at once (default 5). */
  concurrency?: number
  /** Messages per second (default: unlimited). */
  rate?: number
  /** Messages this run may still start before the relay's daily cap (default: no cap). */
  remainingToday?: number
  /** Attempts per recipient within this run for transient failures (default 3). */
  attempts?: number
  /** First retry delay in ms, doubled per attempt, capped at 30 s (default 2000). */
  retryDelay?: number
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
  stopped?: 'signal' | 'daily-limit' | 'fatal'
  /** The server's reply when a fatal error stopped the run (already redacted). */
  fatalReply?: string
  /** Every permanent failure of this run, with the reply. */
  failures: { email: string; reply: string }[]
  seconds: number
}

const maxDelay = 30_000

/**
 * Send one message per recipient over `concurrency` workers, pacing to `rate`. Each recipient is
 * marked in flight before its message goes out and sent only once the server accepted it.
 */
export async function deliver(job: Delivery): Promise<DeliveryResult> {
  const started = performance.now()
  const { slug, ledger, signal } = job
  const queue = job.recipients.values()
  const pacer = new Pacer(job.rate)
  const attempts = job.attempts ?? 3
  const retryDelay = job.retryDelay ?? 2000
  let budget = job.remainingToday ?? Infinity
  const result: DeliveryResult = { total: job.recipients.length, sent: 0, failed: 0, pending: 0, retries: 0, started: 0, failures: [], seconds: 0 }
  const report = () => job.onProgress?.({ ...result, pending: result.total - result.sent - result.failed })

  const stop = (reason: DeliveryResult['stopped']) => {
    result.stopped ??= reason
  }
  const worker = async () => {
    for (;;) {
      if (signal?.aborted) stop('signal')
      if (result.stopped) return
      if (budget <= 0) return stop('daily-limit')
      const next = queue.next()
      if (next.done) return
      const recipient = next.value
      budget--
      result.started++
      await pacer.wait(signal)
      // A signal while waiting for a slot: this one was not sent; it stays pending.
      if (signal?.aborted) return stop('signal')
      const message = job.message(recipient)
      for (let attempt = 1; ; attempt++) {
        ledger?.markSending(slug, recipient.key)
        try {
          const reply = await job.transport.send(message)
          ledger?.markSent(slug, recipient.key, reply)
          result.sent++
          break
        } catch (error) {
          if (!(error instanceof SendError)) throw error
          if (error.fatal) {
            ledger?.markSettled(slug, recipient.key, 'pending', error.message)
            result.fatalReply = error.message
            stop('fatal')
            break
          }
          if (error.permanent) {
            ledger?.markSettled(slug, recipient.key, 'failed', error.message)
            result.failed++
            result.failures.push({ email: recipient.email, reply: error.message })
            break
          }
          ledger?.markSettled(slug, recipient.key, 'pending', error.message)
          if (attempt >= attempts || signal?.aborted || result.stopped) break
          // A 4xx is often the relay saying "too fast": slow everyone down, then back off this one.
          pacer.slowDown()
          result.retries++
          const delay = Math.min(retryDelay * 2 ** (attempt - 1), maxDelay)
          if (!(await pause(delay, signal))) break
        }
      }
      report()
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, job.concurrency ?? 5) }, worker))
  result.pending = result.total - result.sent - result.failed
  result.seconds = (performance.now() - started) / 1000
  return result
}

/** Sleep unless aborted; false when the signal cut it short. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal })
    return true
  } catch {
    return false
  }
}

/** Spaces message starts `1 / rate` seconds apart across all workers; slows down on request. */
class Pacer {
  private interval: number
  private next = 0

  constructor(rate: number | undefined) {
    this.interval = rate ? 1000 / rate : 0
  }

  async wait(signal: AbortSignal | undefined): Promise<void> {
    if (this.interval === 0) return
    const now = performance.now()
    const at = Math.max(now, this.next)
    this.next = at + this.interval
    if (at > now) await pause(at - now, signal)
  }

  /** Halve the rate (from unlimited: 20 a second), never below one message per 10 s. */
  slowDown(): void {
    this.interval = Math.min(Math.max(this.interval * 2, 50), 10_000)
  }
}
