import { hostname } from 'node:os'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Ledger } from '../../src/send/ledger.ts'
import { runCli, scaffold, spawnCli } from './helpers.ts'

const { project, sink } = scaffold({ send: '  retry_delay: 10\n  require_tls: false\n' })

async function staff(root: string, count: number): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `person${String(i).padStart(3, '0')}@example.com`)
  await writeFile(join(root, 'staff.csv'), `email,name\n${emails.map((email, i) => `${email},Person ${i}`).join('\n')}\n`)
  return emails
}

describe('newsletter send (CLI)', () => {
  it('loses nobody when killed with SIGKILL mid-send: a rerun resends only what was in flight', { tags: ['process'] }, async () => {
    const root = await project()
    const emails = await staff(root, 150)
    const concurrency = 3
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined
    const server = await sink({ keep: false, onMessage: (count) => void (count === 40 && child?.kill('SIGKILL')) })
    const env = { SMTP_URL: `smtp://127.0.0.1:${server.port}` }
    const args = ['send', '2026-11', '--recipients', 'staff.csv', '--yes', '--concurrency', String(concurrency)]
    const killed = await spawnCli(args, { cwd: root, env, onSpawn: (spawned) => (child = spawned) })
    expect(killed.signal).toBe('SIGKILL')
    const acceptedBeforeKill = server.accepted.length
    expect(acceptedBeforeKill).toBeGreaterThanOrEqual(40)
    expect(acceptedBeforeKill).toBeLessThan(emails.length)

    const ledger = new Ledger(join(root, '.newsletter/sends.sqlite'))
    const counts = ledger.counts('2026-11', `smtp 127.0.0.1:${server.port}`)
    ledger.close()
    expect(counts.total).toBe(emails.length)
    expect(counts.inDoubt).toBeLessThanOrEqual(concurrency)
    // Nothing the ledger calls sent is unknown to the server.
    expect(counts.sent).toBeLessThanOrEqual(acceptedBeforeKill)

    const resumed = await spawnCli(args, { cwd: root, env })
    expect(resumed.stderr).not.toMatch(/error/)
    expect(resumed.code).toBe(0)
    expect(resumed.stdout).toMatch(new RegExp(`Resuming 2026-11: ${counts.sent} already settled, ${counts.inDoubt} in doubt`))
    expect(new Set(server.accepted)).toEqual(new Set(emails))
    const duplicates = server.accepted.length - emails.length
    expect(duplicates).toBeLessThanOrEqual(concurrency)

    const again = await spawnCli(args, { cwd: root, env })
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/Nothing to send: all 150 recipients of 2026-11 are already settled/)
    expect(server.accepted.length).toBe(emails.length + duplicates)
  })

  it('on SIGTERM stops taking recipients, records what was in flight, and exits 1', { tags: ['process'] }, async () => {
    const root = await project({ send: '  retry_delay: 10\n  require_tls: false\n  rate_per_minute: 600\n' })
    const emails = await staff(root, 100)
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined
    const server = await sink({ keep: false, onMessage: (count) => void (count === 5 && child?.kill('SIGTERM')) })
    const result = await spawnCli(['send', '2026-11', '--recipients', 'staff.csv', '--yes'], {
      cwd: root,
      env: { SMTP_URL: `smtp://127.0.0.1:${server.port}` },
      onSpawn: (spawned) => (child = spawned),
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/SIGTERM: finishing the messages in flight/)
    expect(result.stderr).toMatch(/Stopped: issue 2026-11 .* \d+ sent, 0 failed, \d+ pending of 100/)
    const ledger = new Ledger(join(root, '.newsletter/sends.sqlite'))
    const counts = ledger.counts('2026-11', `smtp 127.0.0.1:${server.port}`)
    ledger.close()
    expect(counts.inDoubt).toBe(0)
    expect(counts.sent).toBe(server.accepted.length)
    expect(counts.pending).toBe(emails.length - counts.sent)
  })

  it('refuses with exit 2 while another sender renews its lock, and takes over a lock not renewed for 2 minutes', { tags: ['process'] }, async () => {
    const root = await project()
    await staff(root, 2)
    const server = await sink()
    const env = { SMTP_URL: `smtp://127.0.0.1:${server.port}` }
    const args = ['send', '2026-11', '--recipients', 'staff.csv', '--yes']
    const holdLock = (renewed: Date) => {
      const ledger = new Ledger(join(root, '.newsletter/sends.sqlite'))
      // This test process is alive: only the lease decides whether its lock is stale.
      ledger.db
        .prepare(`INSERT OR REPLACE INTO locks (slug, pid, host, since, renewed_at) VALUES ('2026-11', ?, ?, '2026-11-22T10:00:00.000Z', ?)`)
        .run(process.pid, hostname(), renewed.toISOString())
      ledger.close()
    }
    holdLock(new Date(Date.now() - 10_000))
    const refused = await spawnCli(args, { cwd: root, env })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(
      new RegExp(
        `error: Another send of 2026-11 is running \\(process ${process.pid} on ${hostname()}, since 2026-11-22T10:00:00\\.000Z, last seen 1\\d s ago\\)`,
      ),
    )
    expect(server.attempts).toHaveLength(0)

    holdLock(new Date(Date.now() - 3 * 60_000))
    const taken = await spawnCli(args, { cwd: root, env })
    expect(taken.stderr).toMatch(new RegExp(`^warning: Took over the lock of process ${process.pid} on ${hostname()} \\(not renewed for 18\\d s\\)\\.$`, 'm'))
    expect(taken.code).toBe(0)
    expect(server.accepted).toHaveLength(2)
  })

  it('refuses with exit 2 and the exact rows when the CSV has bad rows, sending nothing', async () => {
    const root = await project()
    await writeFile(join(root, 'staff.csv'), 'email,name\nann@example.com,Ann\nbo@elsewhere.org,Bo\n,Cy\n')
    const server = await sink()
    const result = await runCli(['send', '2026-11', '--recipients', 'staff.csv', '--yes'], { cwd: root, env: { SMTP_URL: `smtp://127.0.0.1:${server.port}` } })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('staff.csv:3:1: error: `bo@elsewhere.org` is outside the allowed domains (example.com) (recipients/domain)')
    expect(result.stderr).toContain('staff.csv:4:1: error: Missing email address (recipients/missing)')
    expect(result.stderr).toContain('error: 2 bad rows in staff.csv: nothing was sent')
    expect(server.attempts).toHaveLength(0)
  })
})
