import type { Progress } from './send-loop.ts'

/** Shows a send's progress: a redrawn bar on a terminal, a plain line every few seconds otherwise. */
export interface ProgressView {
  update(progress: Progress): void
  /** Draw the final state (on a terminal) so the summary follows the last figures. */
  finish(progress: Progress): void
}

/** A progress view writing lines with `write` (stderr in the CLI); `tty` decides bar or periodic lines. */
export function createProgress(write: (line: string) => void, options: { tty: boolean; every?: number }): ProgressView {
  const started = performance.now()
  const every = options.tty ? 100 : (options.every ?? 5000)
  let last = options.tty ? -Infinity : started
  let drawn = false
  const draw = (progress: Progress) => {
    const line = formatProgress(progress, (performance.now() - started) / 1000, options.tty)
    // On a terminal: move up over the previous bar and clear it, so it redraws in place.
    write(options.tty && drawn ? `\x1b[1A\x1b[2K${line}` : line)
    drawn = true
    last = performance.now()
  }
  return {
    update(progress) {
      if (performance.now() - last >= every) draw(progress)
    },
    finish(progress) {
      if (options.tty || drawn) draw(progress)
    },
  }
}

/** `[#####-----] 412/1000 sent, 0 failed, 12.3/s, ETA 0:48` */
export function formatProgress(progress: Progress, seconds: number, bar: boolean): string {
  const done = progress.sent + progress.failed
  const rate = seconds > 0 ? progress.sent / seconds : 0
  const left = progress.total - done
  const eta = rate > 0 ? clock(left / rate) : '–'
  const width = 24
  const filled = progress.total > 0 ? Math.round((done / progress.total) * width) : width
  const meter = bar ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : ''
  return `${meter}${progress.sent}/${progress.total} sent, ${progress.failed} failed${progress.retries ? `, ${progress.retries} retries` : ''}, ${rate.toFixed(1)}/s, ETA ${eta}`
}

function clock(seconds: number): string {
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const pad = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`
}
