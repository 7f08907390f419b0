import { describe, expect, it } from 'vitest'
import { createProgress, formatProgress } from '../../src/send/progress.ts'
import { collect } from './helpers.ts'

const progress = { total: 1000, sent: 400, failed: 10, pending: 590, retries: 3, started: 415 }

describe('progress', () => {
  it('shows a bar with sent, failed, retries, rate and ETA', () => {
    expect(formatProgress(progress, 20, true)).toBe('[##########--------------] 400/1000 sent, 10 failed, 3 retries, 20.0/s, ETA 0:30')
    expect(formatProgress({ ...progress, retries: 0 }, 20, false)).toBe('400/1000 sent, 10 failed, 20.0/s, ETA 0:30')
    expect(formatProgress({ ...progress, sent: 0, failed: 0, retries: 0 }, 0, false)).toBe('0/1000 sent, 0 failed, 0.0/s, ETA –')
    expect(formatProgress({ ...progress, sent: 1 }, 1, false)).toMatch(/ETA 16:29$/)
    expect(formatProgress({ ...progress, sent: 1, total: 100_000 }, 1, false)).toMatch(/ETA 27:46:29$/)
  })

  it('redraws in place on a terminal and stays quiet between lines otherwise', () => {
    const tty = collect()
    const bar = createProgress(tty.err, { tty: true })
    bar.update(progress)
    bar.finish({ ...progress, sent: 990 })
    const lines = tty.stderr.split('\n').filter(Boolean)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^\[/)
    expect(lines[1]).toMatch(/^\x1b\[1A\x1b\[2K\[#+-*\] 990\/1000 sent/)

    const log = collect()
    const lines2 = createProgress(log.err, { tty: false, every: 60_000 })
    lines2.update(progress)
    lines2.finish(progress)
    expect(log.stderr).toBe('')
  })
})
