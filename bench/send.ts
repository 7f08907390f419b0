// Send benchmark: our `send` (ledger on) against a bare nodemailer pool loop, same connections, same
// run, to a local smtp-server that discards; and our `send` to the same sink answering like a faulty
// relay (10% 451 once, 5% 550). Run: node --import tsx bench/send.ts
// Each sender runs in its own child process so peak RSS (process.resourceUsage().maxRSS) is its own.
// On a shared machine, `node --import tsx bench/send.ts together` also runs both senders at the same time (see together).
import { execFileSync, spawn } from 'node:child_process'
import { machine, median, writeSection } from './lib.ts'
import { loadavg } from 'node:os'
import { cp, mkdtemp, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import nodemailer from 'nodemailer'
import { approveText } from '../src/content/approval.ts'
import { SMTPServer } from 'smtp-server'

const repo = resolve(import.meta.dirname, '..')
const connections = 5
const faultyCount = 2000
// Rounds of (bare, fault-free, faulty) at faultyCount: the figures are the medians, since one run on a
// shared machine moves by more than the margin the target allows.
const faultRounds = 3
// The default send.retry_delay: each 451 recipient waits this long once before its second attempt.
const retryDelaySeconds = 2
const slug = '2026-11'

interface ChildResult {
  maxRssMb: number
  seconds: number
}

type Kind = 'ours' | 'bare' | 'bare+renderer' | 'faulty'

if (process.argv[2] === 'child') await child(process.argv[3] as Kind, Number(process.argv[4]), process.argv[5]!, Number(process.argv[6]))
else await parent()

async function child(kind: Kind, count: number, root: string, port: number): Promise<void> {
  const started = performance.now()
  if (kind === 'ours' || kind === 'faulty') {
    const { runSend } = await import('../src/commands/send.ts')
    // The faulty relay's 550s are reported on stderr; only an unexpected failure is worth showing.
    let errors = ''
    const io = { out: () => {}, err: (text: string) => void (errors += `${text}\n`) }
    const code = await runSend(
      {
        recipients: join(root, `staff-${count}.csv`),
        yes: true,
        concurrency: String(connections),
        ledger: join(root, `ledger-${kind}-${count}-${process.pid}.sqlite`),
      },
      [slug],
      io,
      { root, env: { SMTP_URL: `smtp://127.0.0.1:${port}` }, tty: false, progressEvery: 1e9 },
    )
    // 550s leave the faulty run with failures (exit 1) but nothing pending.
    if (code !== (kind === 'faulty' ? 1 : 0) || / [1-9]\d* pending/.test(errors)) throw new Error(`send exited ${code}: ${errors}`)
  } else {
    // The bare loop gets the finished email for free; only its sending is timed by the sink.
    // `bare+renderer` first loads and runs the renderer, as `send` does, and keeps it: V8 sizes its
    // heap from what is live, so this separates our per-message memory from the renderer's footprint.
    let renderer: unknown
    if (kind === 'bare+renderer') {
      const { loadProject } = await import('../src/project/project.ts')
      const { runPipeline } = await import('../src/project/pipeline.ts')
      renderer = await runPipeline(await loadProject(root, { only: (source) => source.slug === slug }), { drafts: true })
    }
    const html = await readFile(join(root, 'email.html'), 'utf8')
    const text = await readFile(join(root, 'email.txt'), 'utf8')
    const transporter = nodemailer.createTransport({
      pool: true,
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
      maxConnections: connections,
      maxMessages: Infinity,
    })
    let next = 0
    const worker = async () => {
      while (next < count) {
        const i = next++
        await transporter.sendMail({
          from: 'Brightwater IT <it-news@example.com>',
          to: { name: `Person ${i}`, address: `person${i}@example.com` },
          subject: 'November',
          html,
          text,
        })
      }
    }
    await Promise.all(Array.from({ length: connections }, worker))
    transporter.close()
    if (kind === 'bare+renderer' && !renderer) throw new Error('the renderer did not run')
  }
  const result: ChildResult = { maxRssMb: process.resourceUsage().maxRSS / 1024, seconds: (performance.now() - started) / 1000 }
  process.stdout.write(JSON.stringify(result))
}

/** Run one sender in its own process; resolves with what it measured of itself. */
function spawnChild(kind: Kind, count: number, root: string, port: number): Promise<ChildResult> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, 'child', kind, String(count), root, String(port)], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let text = ''
    proc.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()))
    proc.on('close', (code) => (code === 0 ? done(JSON.parse(text) as ChildResult) : fail(new Error(`${kind} ${count} exited ${code}`))))
  })
}

/** A sink that accepts everything and notes when each message landed. */
async function timingSink(): Promise<{ port: number; times: number[]; onFirst?: () => void; close(): Promise<void> }> {
  const sink = {
    port: 0,
    times: [] as number[],
    onFirst: undefined as (() => void) | undefined,
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.resume()
      stream.on('end', () => {
        if (sink.times.push(performance.now()) === 1) sink.onFirst?.()
        callback()
      })
    },
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  sink.port = (server.server.address() as AddressInfo).port
  return sink
}

/**
 * `node --import tsx bench/send.ts together`: `send` and the bare loop at the same time, each to its own sink; the bare
 * loop starts when `send`'s first message lands (after its rendering). Their rates are compared over the time both
 * were sending, so load from other work on a shared machine falls on both alike. Prints; writes nothing.
 */
async function together(count: number, root: string): Promise<void> {
  const [ours, bare] = [await timingSink(), await timingSink()]
  const bareDone = new Promise<ChildResult>((done, fail) => (ours.onFirst = () => spawnChild('bare', count, root, bare.port).then(done, fail)))
  await Promise.all([spawnChild('ours', count, root, ours.port), bareDone])
  await Promise.all([ours.close(), bare.close()])
  if (ours.times.length !== count || bare.times.length !== count)
    throw new Error(`together ${count}: the sinks accepted ${ours.times.length} and ${bare.times.length}`)
  const from = Math.max(ours.times[0]!, bare.times[0]!)
  const to = Math.min(ours.times.at(-1)!, bare.times.at(-1)!)
  const rate = (times: number[]) => times.filter((time) => time >= from && time <= to).length / ((to - from) / 1000)
  console.log(
    `${count.toLocaleString('en')} at once: send ${rate(ours.times).toFixed(0)}/s, bare loop ${rate(bare.times).toFixed(0)}/s over the ${((to - from) / 1000).toFixed(1)} s both were sending: ${(rate(ours.times) / rate(bare.times)).toFixed(2)}×; load average ${loadavg()[0]!.toFixed(2)}`,
  )
}

async function parent(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'newsletter-bench-send-'))
  try {
    await mkdir(join(root, 'content/issues'), { recursive: true })
    const settings = (await readFile(join(repo, 'content/settings.yml'), 'utf8')).replace(/^send:[\s\S]*$/m, '')
    await writeFile(join(root, 'content/settings.yml'), `${settings}send:\n  require_tls: false\n`)
    // Personalized, so every message is filled in per recipient as in a real send.
    const issue = (await readFile(join(repo, 'content/issues', `${slug}.md`), 'utf8')).replace(
      '## Faster help',
      'Hello {{name}} in {{department}}.\n\n## Faster help',
    )
    await writeFile(join(root, 'content/issues', `${slug}.md`), approveText(issue, { by: 'Bench', at: '2026-11-01T09:00' }))
    await symlink(join(repo, 'layouts'), join(root, 'layouts'))
    for (const count of [1000, faultyCount, 10_000]) {
      const rows = Array.from({ length: count }, (_, i) => `person${i}@example.com,Person ${i},Dept ${i % 17}`)
      await writeFile(join(root, `staff-${count}.csv`), `email,name,department\n${rows.join('\n')}\n`)
    }
    execFileSync(process.execPath, [join(repo, 'src/bin.js'), 'build', '--out', join(root, 'dist')], { cwd: root, stdio: 'ignore' })
    await cp(join(root, 'dist/email', `${slug}.html`), join(root, 'email.html'))
    await cp(join(root, 'dist/email', `${slug}.txt`), join(root, 'email.txt'))

    // The sink: accepts everything, keeps nothing, notes when each run's first and last message landed.
    let first = 0
    let last = 0
    let received = 0
    let bytes = 0
    // The faulty relay: by recipient number, 10% are answered 451 on their first attempt (greylisting,
    // throttling) and 5% 550 (no such mailbox).
    let faulty = false
    const tries = new Map<string, number>()
    const sink = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      disableReverseLookup: true,
      logger: false,
      onData(stream, session, callback) {
        stream.on('data', (chunk: Buffer) => (bytes += chunk.length))
        stream.on('end', () => {
          if (faulty) {
            const to = session.envelope.rcptTo[0]!.address
            const n = Number(/^person(\d+)@/.exec(to)![1])
            const attempt = (tries.get(to) ?? 0) + 1
            tries.set(to, attempt)
            if (n % 20 === 7) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }))
            if (n % 10 === 3 && attempt === 1) return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }))
          }
          const now = performance.now()
          if (received === 0) first = now
          last = now
          received++
          callback()
        })
      },
    })
    await new Promise<void>((done) => sink.listen(0, '127.0.0.1', done))
    const port = (sink.server.address() as AddressInfo).port

    const run = async (kind: Kind, count: number) => {
      first = last = received = bytes = 0
      faulty = kind === 'faulty'
      tries.clear()
      const result = await spawnChild(kind, count, root, port)
      const expected = kind === 'faulty' ? count - Math.ceil((count - 7) / 20) : count
      if (received !== expected) throw new Error(`${kind} ${count}: the sink accepted ${received}, expected ${expected}`)
      return { kind, count, perSecond: (received - 1) / ((last - first) / 1000), kb: bytes / count / 1024, ...result }
    }
    if (process.argv[2] === 'together') {
      await new Promise<void>((done) => sink.close(() => done()))
      for (const count of [faultyCount, 10_000]) await together(count, root)
      return
    }
    const results: Awaited<ReturnType<typeof run>>[] = []
    // Alternate so neither side always runs on a warmer machine.
    // `node --import tsx bench/send.ts ours` runs only the named senders (comma-separated), for quick checks.
    const kinds = process.argv[2] ? (process.argv[2].split(',') as Kind[]) : (['bare', 'ours', 'bare+renderer'] as const)
    for (const count of [1000, 10_000]) for (const kind of kinds) results.push(await run(kind, count))
    // The faulty relay next to the fault-free send and the bare loop, same count, same sink.
    const faultKinds = process.argv[2] ? kinds.filter((kind) => kind !== 'bare+renderer') : (['bare', 'ours', 'faulty'] as const)
    for (let round = 0; round < faultRounds; round++) for (const kind of faultKinds) results.push(await run(kind, faultyCount))
    await new Promise<void>((done) => sink.close(() => done()))
    if (kinds.length < 3) {
      for (const r of results) console.log(r.kind, r.count, `${r.perSecond.toFixed(0)}/s`, `${r.maxRssMb.toFixed(0)} MB`)
      return
    }

    const find = (kind: string, count: number) => results.find((r) => r.kind === kind && r.count === count)!
    const names: Record<Kind, string> = {
      ours: '`newsletter send` (ledger on, personalized)',
      bare: 'bare nodemailer pool loop',
      'bare+renderer': 'bare loop, renderer loaded first',
      faulty: '`newsletter send` to a faulty relay (10% 451 once, 5% 550)',
    }
    const rows = results
      .filter((r) => r.count !== faultyCount)
      .map(
        (r) =>
          `| ${names[r.kind]} | ${r.count.toLocaleString('en')} | ${r.kb.toFixed(1)} KB | ${r.perSecond.toFixed(0)} | ${r.seconds.toFixed(1)} s | ${r.maxRssMb.toFixed(0)} MB |`,
      )
    const ratio = find('ours', 10_000).perSecond / find('bare', 10_000).perSecond
    const growth = find('ours', 10_000).maxRssMb - find('ours', 1000).maxRssMb
    const peerGrowth = find('bare+renderer', 10_000).maxRssMb - find('bare+renderer', 1000).maxRssMb
    const rounds = (kind: Kind) => results.filter((r) => r.kind === kind && r.count === faultyCount)
    const mid = (kind: Kind, key: 'seconds' | 'perSecond' | 'maxRssMb') => median(rounds(kind).map((r) => r[key]))
    const faultRows = (['bare', 'ours', 'faulty'] as const).map(
      (kind) =>
        `| ${names[kind]} | ${faultyCount.toLocaleString('en')} | ${mid(kind, 'perSecond').toFixed(0)} | ${mid(kind, 'seconds').toFixed(1)} s (${rounds(kind)
          .map((r) => r.seconds.toFixed(1))
          .join(', ')}) | ${mid(kind, 'maxRssMb').toFixed(0)} MB |`,
    )
    const budget = (mid('ours', 'seconds') + retryDelaySeconds) * 1.2
    const faultyWall = mid('faulty', 'seconds')
    const faultFreeRatio = mid('ours', 'perSecond') / mid('bare', 'perSecond')
    const section = [
      `${connections} SMTP connections each, to a local smtp-server sink that discards (same process for both), Node ${process.version}.`,
      'messages/s = sink-side rate between the first and the last message; wall = the child process from start to exit (ours includes loading, rendering and the ledger).',
      '',
      '| sender | messages | size on the wire | messages/s | wall | peak RSS |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `- Throughput at 10,000: ${ratio.toFixed(2)}× the bare loop (target ≥ 0.90×): ${ratio >= 0.9 ? 'met' : 'MISSED'}.`,
      `- Peak RSS at 10,000 − at 1,000: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB (target ≤ +32 MB): ${growth <= 32 ? 'met' : 'MISSED'}; the bare loop with the renderer loaded: ${peerGrowth >= 0 ? '+' : ''}${peerGrowth.toFixed(1)} MB.`,
      '',
      `Faulty relay, ${faultyCount.toLocaleString('en')} recipients, same sink: recipient n is answered 550 when n % 20 = 7 (5%) and 451 on its first attempt when n % 10 = 3 (10%); default settings (retry_delay 2 s). messages/s counts accepted messages only. Medians of ${faultRounds} rounds of the three senders in turn; the wall of each round in brackets.`,
      '',
      '| sender | messages | messages/s | wall (each round) | peak RSS |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...faultRows,
      '',
      `- Faulty relay wall ${faultyWall.toFixed(1)} s; target ≤ (fault-free wall ${mid('ours', 'seconds').toFixed(1)} s + longest retry delay ${retryDelaySeconds} s) × 1.2 = ${budget.toFixed(1)} s: ${faultyWall <= budget ? 'met' : 'MISSED'}.`,
      `- Fault-free at ${faultyCount.toLocaleString('en')}: ${faultFreeRatio.toFixed(2)}× the bare loop (target ≥ 0.90×): ${faultFreeRatio >= 0.9 ? 'met' : 'MISSED'}. Peak RSS faulty − fault-free: ${(mid('faulty', 'maxRssMb') - mid('ours', 'maxRssMb')).toFixed(1)} MB.`,
      '',
      'Run: `node --import tsx bench/send.ts`',
    ].join('\n')
    writeSection('Send: latest run', `${machine()}; load average ${loadavg()[0]!.toFixed(2)} at the end. ${section}`)
    console.log(section)
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}
