// Graph benchmark: `newsletter send` through the Graph path (token endpoint + sendMail on a local HTTP server that
// answers 202 without throttling) next to the SMTP path (a local smtp-server that discards), same run, same issue,
// each sender in its own child process so peak RSS is its own. Run: node --import tsx bench/graph.ts
import { execFileSync, spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { SMTPServer } from 'smtp-server'
import { approveText } from '../src/content/approval.ts'
import { machine, writeSection } from './lib.ts'

const repo = resolve(import.meta.dirname, '..')
const slug = '2026-11'
type Kind = 'graph' | 'smtp'

if (process.argv[2] === 'child') await child(process.argv[3] as Kind, Number(process.argv[4]), process.argv[5]!, process.argv[6]!)
else await parent()

async function child(kind: Kind, count: number, root: string, base: string): Promise<void> {
  const { runSend } = await import('../src/commands/send.ts')
  let errors = ''
  const io = { out: () => {}, err: (text: string) => void (errors += `${text}\n`) }
  const env =
    kind === 'graph'
      ? { OAUTH_CLIENT_ID: 'bench', OAUTH_CLIENT_SECRET: 'bench-secret', OAUTH_TOKEN_URL: `${base}/token`, GRAPH_URL: `${base}/v1.0` }
      : { SMTP_URL: base }
  const code = await runSend(
    { recipients: join(root, `staff-${count}.csv`), yes: true, ledger: join(root, `ledger-${kind}-${count}-${process.pid}.sqlite`), 'no-channels': true },
    [slug],
    io,
    { root: join(root, kind), env, tty: false, progressEvery: 1e9 },
  )
  if (code !== 0) throw new Error(`send exited ${code}: ${errors}`)
  process.stdout.write(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 }))
}

async function parent(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'newsletter-bench-graph-'))
  try {
    const issue = approveText(
      (await readFile(join(repo, 'content/issues', `${slug}.md`), 'utf8')).replace('## Faster help', 'Hello {{name}}.\n\n## Faster help'),
      {
        by: 'Bench',
        at: '2026-11-01T09:00',
      },
    )
    const settings = (await readFile(join(repo, 'content/settings.yml'), 'utf8')).replace(/^send:[\s\S]*$/m, '')
    // Two projects, the same content: one sends through Graph, one through SMTP.
    for (const kind of ['graph', 'smtp'] as const) {
      await mkdir(join(root, kind, 'content/issues'), { recursive: true })
      await writeFile(join(root, kind, 'content/settings.yml'), `${settings}send:\n  require_tls: false\n${kind === 'graph' ? '  transport: graph\n' : ''}`)
      await writeFile(join(root, kind, 'content/issues', `${slug}.md`), issue)
      await symlink(join(repo, 'layouts'), join(root, kind, 'layouts'))
      execFileSync(process.execPath, [join(repo, 'src/bin.js'), 'build', '--out', join(root, kind, 'dist')], { cwd: join(root, kind), stdio: 'ignore' })
    }
    for (const count of [1000, 2000, 10_000]) {
      const rows = Array.from({ length: count }, (_, i) => `person${i}@example.com,Person ${i}`)
      await writeFile(join(root, `staff-${count}.csv`), `email,name\n${rows.join('\n')}\n`)
    }

    // Both sinks note when the first and the last message of a run arrived.
    let first = 0
    let last = 0
    let received = 0
    const arrived = () => {
      const now = performance.now()
      if (received === 0) first = now
      last = now
      received++
    }
    const graph = createServer((request, response) => {
      request.resume()
      request.on('end', () => {
        if (request.url === '/token') {
          response.writeHead(200, { 'Content-Type': 'application/json' })
          response.end(JSON.stringify({ access_token: 'bench-token', expires_in: 3600, token_type: 'Bearer' }))
          return
        }
        arrived()
        response.writeHead(202)
        response.end()
      })
    })
    await new Promise<void>((done) => graph.listen(0, '127.0.0.1', done))
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      disableReverseLookup: true,
      logger: false,
      onData(stream, _session, callback) {
        stream.resume()
        stream.on('end', () => {
          arrived()
          callback()
        })
      },
    })
    await new Promise<void>((done) => smtp.listen(0, '127.0.0.1', done))
    const bases: Record<Kind, string> = {
      graph: `http://127.0.0.1:${(graph.address() as AddressInfo).port}`,
      smtp: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    }

    const run = async (kind: Kind, count: number) => {
      first = last = received = 0
      const started = performance.now()
      const output = await new Promise<string>((done, fail) => {
        const proc = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, 'child', kind, String(count), root, bases[kind]], {
          cwd: repo,
          stdio: ['ignore', 'pipe', 'inherit'],
        })
        let text = ''
        proc.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()))
        proc.on('close', (code) => (code === 0 ? done(text) : fail(new Error(`${kind} ${count} exited ${code}`))))
      })
      if (received !== count) throw new Error(`${kind} ${count}: the sink got ${received}, expected ${count}`)
      const { maxRssMb } = JSON.parse(output) as { maxRssMb: number }
      return { kind, count, perSecond: (received - 1) / ((last - first) / 1000), wall: (performance.now() - started) / 1000, maxRssMb }
    }
    const results = [await run('smtp', 2000), await run('graph', 2000), await run('graph', 1000), await run('graph', 10_000)]
    await new Promise<void>((done) => smtp.close(() => done()))
    await new Promise<void>((done) => graph.close(() => done()))

    const find = (kind: Kind, count: number) => results.find((r) => r.kind === kind && r.count === count)!
    const ratio = find('graph', 2000).perSecond / find('smtp', 2000).perSecond
    const growth = find('graph', 10_000).maxRssMb - find('graph', 1000).maxRssMb
    const names: Record<Kind, string> = {
      graph: '`newsletter send`, `send.transport: graph` (4 requests in flight, the mailbox limit)',
      smtp: '`newsletter send` over SMTP (5 connections, the default)',
    }
    const section = [
      `Local servers, no throttling: a Node HTTP server answering the token request and every sendMail with 202, and an smtp-server that discards; ledger on, personalized, ${machine()}.`,
      'messages/s = server-side rate between the first and the last message; wall = the child process from start to exit.',
      '',
      '| path | messages | messages/s | wall | peak RSS |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...results.map(
        (r) => `| ${names[r.kind]} | ${r.count.toLocaleString('en')} | ${r.perSecond.toFixed(0)} | ${r.wall.toFixed(1)} s | ${r.maxRssMb.toFixed(0)} MB |`,
      ),
      '',
      `- Graph vs SMTP at 2,000: ${ratio.toFixed(2)}× (target ≥ 0.80×): ${ratio >= 0.8 ? 'met' : 'MISSED'}.`,
      `- Graph peak RSS at 10,000 − at 1,000: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB.`,
    ].join('\n')
    writeSection('Send through Microsoft Graph', section)
    console.log(section)
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}
