import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli.ts'
import { runSend } from '../../src/commands/send.ts'
import { reportCommand } from '../../src/commands/report.ts'
import { collect, runCli, type Sink } from '../send/helpers.ts'
import { slug, startPrinters, type PrintersRun } from './printers-notice.ts'

// The webhook answers revision 1's post no sooner than this, and not before revision 2's send has finished (a loaded
// machine may take longer over it), so that send always runs while revision 1 waits for its channel.
const slowFor = 6_000
let secondFinished: () => void
const secondDone = new Promise<void>((resolve) => (secondFinished = resolve))

let printers: PrintersRun | undefined
let root: string
let sink: Sink
let env: Record<string, string>
/** Each post as the webhook saw it: its Slack text, when it arrived and when it was answered. */
const posts: { text: string; arrived: number; answered?: number }[] = []
let firstArrived: () => void
const revisionOneArrived = new Promise<void>((resolve) => (firstArrived = resolve))

beforeAll(async () => {
  printers = await startPrinters(({ body }, response) => {
    const post: (typeof posts)[number] = { text: (JSON.parse(body) as { text: string }).text, arrived: Date.now() }
    posts.push(post)
    const answer = () => {
      post.answered = Date.now()
      response.end('ok')
    }
    if (post.text.startsWith('[Investigating]') && posts.length === 1) {
      firstArrived()
      void Promise.all([secondDone, new Promise((resolve) => setTimeout(resolve, slowFor))]).then(answer)
    } else answer()
  })
  ;({ root, sink, env } = printers)
})

afterAll(async () => {
  await printers?.close()
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
    const code = await runSend({ yes: true, recipients: join(root, 'staff.csv') }, [slug], io, { root, env, tty: false, progressEvery: 60_000 }).finally(
      secondFinished,
    )

    expect(io.stderr).not.toContain('Another send')
    expect(code).toBe(0)
    expect(io.stdout).toMatch(/Done: .* 2 sent, 0 failed/)
    expect(io.stdout).toContain('Posted to slack:IT_SLACK_HOOK.')

    const result = await first
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Done: .* 2 sent, 0 failed/)
    expect(result.stdout).toContain('Posted to slack:IT_SLACK_HOOK.')
    expect(result.stderr).toBe('')
    expect(posts[0]!.answered! - posts[0]!.arrived).toBeGreaterThanOrEqual(slowFor - 50)

    // A loaded machine may make revision 1's post time out (10 s) and be posted again: each text is checked once.
    expect([...new Set(posts.map((post) => post.text))]).toEqual([
      '[Investigating] Printers: nobody can print',
      '[Cause identified] Printers: nobody can print',
    ])
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
