import { createServer, type Server, type Socket } from 'node:net'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runSend } from '../../src/commands/send.ts'
import { Ledger } from '../../src/send/ledger.ts'
import { collect, ignoreReset, scaffold } from './helpers.ts'

const { cleanups, project, sink } = scaffold()

// Short timeouts so a dead server is given up on in about a second.
const fast = '  retry_delay: 50\n  connection_timeout: 500\n  greeting_timeout: 300\n  socket_timeout: 1000\n  give_up_after: 1000\n  require_tls: false\n'

const people = (count: number) => Array.from({ length: count }, (_, i) => `person${String(i).padStart(3, '0')}@example.com`)

async function staff(root: string, emails: readonly string[]): Promise<string> {
  const path = join(root, 'staff.csv')
  await writeFile(path, `email,name\n${emails.map((email, i) => `${email},Person ${i}`).join('\n')}\n`)
  return path
}

async function send(root: string, port: number, recipients: string, concurrency = '5') {
  const io = collect()
  const started = performance.now()
  const code = await runSend({ yes: true, recipients, concurrency }, ['2026-11'], io, {
    root,
    env: { SMTP_URL: `smtp://127.0.0.1:${port}` },
    tty: false,
    progressEvery: 60_000,
  })
  return { code, io, seconds: (performance.now() - started) / 1000 }
}

function ledgerCounts(root: string, port: number) {
  const ledger = new Ledger(join(root, '.newsletter/sends.sqlite'))
  try {
    return ledger.counts('2026-11', `smtp 127.0.0.1:${port}`)
  } finally {
    ledger.close()
  }
}

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  await new Promise((done) => server.close(done))
  return port
}

describe('send against a faulty relay', () => {
  it('keeps its pace through 10% 451-once and 5% 550: one run, every 451 sent on retry, 550s failed', async () => {
    const root = await project({ send: fast })
    const emails = people(200)
    const greylisted = new Set(emails.filter((_, i) => i % 10 === 3))
    const gone = new Set(emails.filter((_, i) => i % 20 === 7))
    const server = await sink({ keep: false, reply: (to, attempt) => (gone.has(to) ? 550 : greylisted.has(to) && attempt === 1 ? 451 : undefined) })
    const { code, io, seconds } = await send(root, server.port, await staff(root, emails))
    expect(code).toBe(1)
    expect(io.stderr).toMatch(new RegExp(`^Done: .* ${200 - gone.size} sent, ${gone.size} failed, 0 pending of 200 `, 'm'))
    expect(new Set(server.accepted)).toEqual(new Set(emails.filter((email) => !gone.has(email))))
    for (const email of greylisted) expect(server.attempts.filter((to) => to === email)).toHaveLength(2)
    expect(ledgerCounts(root, server.port)).toMatchObject({ sent: 200 - gone.size, failed: gone.size, pending: 0, inDoubt: 0 })
    // Fault-free, 200 messages take well under a second here; the retries add one 50 ms backoff.
    expect(seconds).toBeLessThan(5)
  })

  it('resends what a connection cut after DATA lost, without slowing the rest', async () => {
    // The default 2 s retry delay: a cut defers its recipient, not every connection.
    const root = await project({ send: fast.replace('retry_delay: 50', 'retry_delay: 2000') })
    const emails = people(150)
    const cut = new Set(emails.filter((_, i) => i % 15 === 4))
    const server = await sink({ keep: false, reply: (to, attempt) => (cut.has(to) && attempt === 1 ? 'drop' : undefined) })
    const { code, io, seconds } = await send(root, server.port, await staff(root, emails))
    expect(io.stderr).toBe('')
    expect(code).toBe(0)
    expect(io.stdout).toMatch(/^Done: .* 150 sent, 0 failed, 0 pending of 150 /m)
    expect([...server.accepted].sort()).toEqual(emails)
    expect(ledgerCounts(root, server.port)).toMatchObject({ sent: 150, pending: 0, inDoubt: 0 })
    // The cut recipients wait 2 s once; ten cuts each holding everyone would take 20 s.
    expect(seconds).toBeGreaterThan(2)
    expect(seconds).toBeLessThan(6)
  })

  it('slows down when the relay says "too fast" and still finishes in one run', async () => {
    const root = await project({ send: fast })
    const emails = people(60)
    let throttled = 0
    // The wording of Exchange Online's throttling reply.
    const server = await sink({
      keep: false,
      reply: (_to, attempt) => (attempt === 1 && throttled++ < 10 ? { code: 452, text: '4.7.500 Server busy. Please try again later' } : undefined),
    })
    const { code, seconds } = await send(root, server.port, await staff(root, emails))
    expect(code).toBe(0)
    expect(server.accepted).toHaveLength(60)
    // Unthrottled, 60 messages take about 0.2 s here: the slowdown shows, and it recovers.
    expect(seconds).toBeGreaterThan(1)
    expect(seconds).toBeLessThan(10)
  })
})

describe('send against a dead server', () => {
  it('gives up on a closed port after give_up_after even with fewer recipients than attempts would use up', async () => {
    const root = await project({ send: fast.replace('retry_delay: 50', 'retry_delay: 50\n  attempts: 2') })
    const port = await closedPort()
    const { code, io, seconds } = await send(root, port, await staff(root, people(2)))
    expect(code).toBe(1)
    expect(io.stderr).toMatch(/^Stopped: .* 0 sent, 0 failed, 2 pending of 2 /m)
    expect(io.stderr).toMatch(new RegExp(`^The server is unreachable: no answer from 127\\.0\\.0\\.1:${port} for 1 s`, 'm'))
    expect(seconds).toBeGreaterThanOrEqual(1)
    expect(seconds).toBeLessThan(3)
  })

  it('gives up on a closed port after give_up_after, naming host:port and the error, leaving everyone pending', async () => {
    const root = await project({ send: fast })
    const port = await closedPort()
    const { code, io, seconds } = await send(root, port, await staff(root, people(100)))
    expect(code).toBe(1)
    expect(io.stderr).toMatch(/^Stopped: .* 0 sent, 0 failed, 100 pending of 100 /m)
    expect(io.stderr).toMatch(
      new RegExp(
        `^The server is unreachable: no answer from 127\\.0\\.0\\.1:${port} for 1 s \\(last error: ESOCKET: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)\\.$`,
        'm',
      ),
    )
    expect(io.stderr).toMatch(/Check that the server in SMTP_URL is up and reachable/)
    expect(ledgerCounts(root, port)).toMatchObject({ total: 100, pending: 100, sent: 0, inDoubt: 0 })
    expect(seconds).toBeGreaterThanOrEqual(1)
    expect(seconds).toBeLessThan(3)
  })

  it('gives up on a server that never greets after give_up_after plus one greeting timeout', async () => {
    const root = await project({ send: fast })
    const sockets = new Set<Socket>()
    const silent: Server = createServer((socket) => void sockets.add(socket.on('error', ignoreReset)))
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done))
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((done) => silent.close(done))
    })
    const port = (silent.address() as { port: number }).port
    const { code, io, seconds } = await send(root, port, await staff(root, people(20)))
    expect(code).toBe(1)
    expect(io.stderr).toMatch(/^Stopped: .* 0 sent, 0 failed, 20 pending of 20 /m)
    expect(io.stderr).toMatch(
      new RegExp(`^The server is unreachable: no answer from 127\\.0\\.0\\.1:${port} for 1 s \\(last error: ETIMEDOUT: Greeting never received\\)\\.$`, 'm'),
    )
    expect(ledgerCounts(root, port)).toMatchObject({ pending: 20, inDoubt: 0 })
    expect(seconds).toBeLessThan(1 + 0.3 + 1)
  })

  it('stops within give_up_after when the server dies mid-send; what it accepted is sent, the rest pending', async () => {
    const root = await project({ send: fast.replace('retry_delay: 50', 'retry_delay: 50\n  rate_per_minute: 6000') })
    const emails = people(150)
    const server = await sink({ keep: false, onMessage: (count) => void (count === 30 && server.kill()) })
    const { code, io, seconds } = await send(root, server.port, await staff(root, emails))
    expect(code).toBe(1)
    const counts = ledgerCounts(root, server.port)
    expect(counts.sent).toBe(server.accepted.length)
    expect(counts.inDoubt).toBe(0)
    expect(counts.pending).toBe(150 - counts.sent)
    expect(io.stderr).toMatch(new RegExp(`^Stopped: .* ${counts.sent} sent, 0 failed, ${150 - counts.sent} pending of 150 `, 'm'))
    expect(io.stderr).toMatch(/^The server is unreachable: no answer from 127\.0\.0\.1:\d+ for 1 s/m)
    expect(seconds).toBeLessThan(1 + 1 + 1.5)
  })
})
