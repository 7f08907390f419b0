import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli.ts'
import { runSend } from '../../src/commands/send.ts'
import { reportCommand } from '../../src/commands/report.ts'
import { approveText } from '../../src/content/approval.ts'
import { collect, removeProject, repo, runCli, startSink, type Sink } from '../send/helpers.ts'
import { sampleContent } from '../helpers/render.ts'

const slug = '2026-12-01-printers'
const notice = `---
title: "Printers: nobody can print"
date: 2026-12-01
status: draft
summary: Nobody can print; we are on it.
service: Printing
state: investigating
impact: Nobody can print on any floor.
updates:
  - time: 2026-12-01T09:00
    state: investigating
    text: We are looking into it.
---

## What happened

Not known yet.
`

// How long the webhook takes to answer revision 1's post: well past the next revision's whole send, inside the
// channel post's 10 s timeout so it is answered, not retried.
const slowFor = 6_000

let root: string
let sink: Sink
let hook: Server
let env: Record<string, string>
/** Each post as the webhook saw it: its Slack text, when it arrived and when it was answered. */
const posts: { text: string; arrived: number; answered?: number }[] = []
let firstArrived: () => void
const revisionOneArrived = new Promise<void>((resolve) => (firstArrived = resolve))

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsletter-slow-channel-'))
  await mkdir(join(root, 'content/notices'), { recursive: true })
  const settings = (await readFile(join(sampleContent, 'settings.yml'), 'utf8')).replace(/^send:[\s\S]*$/m, '')
  await writeFile(
    join(root, 'content/settings.yml'),
    `${settings}send:\n  allowed_domains: [example.com]\n  require_tls: false\nchannels:\n  - { kind: slack, webhook_env: IT_SLACK_HOOK }\n`,
  )
  await writeFile(join(root, 'content/notices', `${slug}.md`), approveText(notice, { by: 'On-call', at: '2026-12-01T09:05' }))
  await writeFile(join(root, 'staff.csv'), 'email,name\nana@example.com,Ana\nbo@example.com,Bo\n')
  await symlink(join(repo, 'layouts'), join(root, 'layouts'))
  sink = await startSink()
  hook = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk))
    request.on('end', () => {
      const post: (typeof posts)[number] = { text: (JSON.parse(body) as { text: string }).text, arrived: Date.now() }
      posts.push(post)
      const answer = () => {
        post.answered = Date.now()
        response.end('ok')
      }
      if (post.text.startsWith('[Investigating]')) {
        firstArrived()
        setTimeout(answer, slowFor)
      } else answer()
    })
  })
  await new Promise<void>((done) => hook.listen(0, '127.0.0.1', done))
  env = { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, IT_SLACK_HOOK: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook/secret-token` }
})

afterAll(async () => {
  await sink?.close()
  await new Promise((done) => hook?.close(done))
  await removeProject(root)
})

describe('a slow channel during the next revision\u2019s send', () => {
  it('does not hold the send lock: revision 2 goes out while revision 1 still waits for its channel post', async () => {
    // Revision 1 in its own process, so the lock it takes is another sender's to the send below.
    const first = runCli(['send', slug, '--recipients', 'staff.csv', '--yes'], { cwd: root, env })
    await revisionOneArrived

    const cli = collect()
    expect(await main(['update', slug, '--state', 'identified', '--text', 'A print server update failed; we are rolling it back.'], cli, root)).toBe(0)
    expect(await main(['approve', slug, '--by', 'On-call'], cli, root)).toBe(0)
    const io = collect()
    const code = await runSend({ yes: true, recipients: join(root, 'staff.csv') }, [slug], io, { root, env, tty: false, progressEvery: 60_000 })
    const secondDone = Date.now()

    expect(io.stderr).not.toContain('Another send')
    expect(code).toBe(0)
    expect(io.stdout).toMatch(/Done: .* 2 sent, 0 failed/)
    expect(io.stdout).toContain('Posted to slack:IT_SLACK_HOOK.')
    // Revision 1's post had not been answered when revision 2 was fully sent and posted.
    expect(posts[0]!.answered).toBeUndefined()
    expect(secondDone - posts[0]!.arrived).toBeLessThan(slowFor)

    const result = await first
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Done: .* 2 sent, 0 failed/)
    expect(result.stdout).toContain('Posted to slack:IT_SLACK_HOOK.')
    expect(result.stderr).toBe('')
    expect(posts[0]!.answered! - posts[0]!.arrived).toBeGreaterThanOrEqual(slowFor - 50)

    expect(posts.map((post) => post.text)).toEqual(['[Investigating] Printers: nobody can print', '[Cause identified] Printers: nobody can print'])
    expect(sink.messages.map((message) => message.subject).sort()).toEqual([
      '[Cause identified] Printers: nobody can print',
      '[Cause identified] Printers: nobody can print',
      '[Investigating] Printers: nobody can print',
      '[Investigating] Printers: nobody can print',
    ])
    const report = collect()
    expect(await reportCommand.run({ format: 'text' }, [slug], report, root)).toBe(0)
    expect(report.stdout.split('\n').filter((line) => line.startsWith(slug))).toEqual([
      `${slug} revision 1 to smtp 127.0.0.1:${sink.port}: 2 sent, 0 failed, 0 pending, 0 in doubt (of 2)`,
      `${slug} revision 2 to smtp 127.0.0.1:${sink.port}: 2 sent, 0 failed, 0 pending, 0 in doubt (of 2)`,
    ])
  }, 60_000)
})
