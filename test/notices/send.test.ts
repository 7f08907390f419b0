import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportCommand } from '../../src/commands/report.ts'
import { runSend } from '../../src/commands/send.ts'
import type { NoticeState } from '../../src/content/types.ts'
import { appendNoticeUpdate } from '../../src/content/update-notice.ts'
import { approveText } from '../../src/content/approval.ts'
import { collect, repo, type Sink } from '../send/helpers.ts'
import { slug, startPrinters, type PrintersRun } from './printers-notice.ts'

let printers: PrintersRun | undefined
let root: string
let sink: Sink
let posts: { path: string; body: string }[]
let env: Record<string, string>

async function send(extra: Record<string, unknown> = {}) {
  const io = collect()
  const code = await runSend({ yes: true, recipients: join(root, 'staff.csv'), ...extra }, [slug], io, { root, env, tty: false, progressEvery: 60_000 })
  return { code, io }
}

/** Add an update as `newsletter update` would, then approve the new revision. */
async function revise(state: NoticeState, text: string, time: string) {
  const path = join(root, 'content/notices', `${slug}.md`)
  const updated = appendNoticeUpdate(await readFile(path, 'utf8'), { state, text, time })
  await writeFile(path, approveText(updated.text, { by: 'On-call', at: time }))
}

beforeAll(async () => {
  posts = []
  printers = await startPrinters((post, response) => {
    posts.push(post)
    response.end('ok')
  })
  ;({ root, sink, env } = printers)
})

afterAll(async () => {
  await printers?.close()
})

describe('a notice sent as it moves from investigating to resolved', () => {
  it('mails every revision to everyone once, threaded under the first, and posts each revision once', async () => {
    const first = await send()
    expect(first.code).toBe(0)
    expect((await send()).io.stdout).toMatch(/^Nothing to send: all 2 recipients/m)

    await revise('identified', 'A print server update failed; we are rolling it back.', '2026-12-01T10:00')
    expect((await send()).code).toBe(0)
    await revise('resolved', 'Printing works again. We will test updates on one server first from now on.', '2026-12-01T11:30')
    const third = await send()
    expect(third.code).toBe(0)
    expect((await send()).io.stdout).toMatch(/^Nothing to send: all 2 recipients/m)

    const forAna = sink.messages.filter((m) => m.to && 'text' in m.to && m.to.text.includes('ana@example.com'))
    expect(forAna.map((m) => m.subject)).toEqual([
      '[Investigating] Printers: nobody can print',
      '[Cause identified] Printers: nobody can print',
      '[Resolved] Printers: nobody can print',
    ])
    const firstId = forAna[0]!.messageId
    expect(forAna[0]!.inReplyTo).toBeUndefined()
    expect(forAna.slice(1).map((m) => [m.inReplyTo, m.references])).toEqual([
      [firstId, firstId],
      [firstId, firstId],
    ])
    expect(new Set(forAna.map((m) => m.messageId)).size).toBe(3)
    expect(sink.accepted).toHaveLength(6)

    // One Slack post per revision; the webhook URL is never printed.
    expect(posts.map((post) => JSON.parse(post.body).text)).toEqual([
      '[Investigating] Printers: nobody can print',
      '[Cause identified] Printers: nobody can print',
      '[Resolved] Printers: nobody can print',
    ])
    expect(third.io.stdout + third.io.stderr).not.toContain('secret-token')

    const report = collect()
    expect(await reportCommand.run({ format: 'text' }, [slug], report, root)).toBe(0)
    expect(report.stdout.split('\n').filter((line) => line.startsWith(slug))).toEqual([
      `${slug} revision 1 to smtp 127.0.0.1:${sink.port}: 2 sent, 0 failed, 0 pending, 0 in doubt (of 2)`,
      `${slug} revision 2 to smtp 127.0.0.1:${sink.port}: 2 sent, 0 failed, 0 pending, 0 in doubt (of 2)`,
      `${slug} revision 3 to smtp 127.0.0.1:${sink.port}: 2 sent, 0 failed, 0 pending, 0 in doubt (of 2)`,
    ])
  })

  it('refuses a new revision until it is approved again', async () => {
    const path = join(root, 'content/notices', `${slug}.md`)
    await writeFile(path, appendNoticeUpdate(await readFile(path, 'utf8'), { state: 'resolved', text: 'A note added later.', time: '2026-12-01T12:00' }).text)
    const refused = await send().catch((error: Error) => error)
    expect(refused).toBeInstanceOf(Error)
    expect((refused as Error).message).toMatch(/approved_digest/)
    expect(sink.accepted).toHaveLength(6)
  })

  it('attaches the planned work as a calendar event (a test send, with channels off)', async () => {
    const maintenance = (await readFile(join(repo, 'content/notices/2026-11-28-email-maintenance.md'), 'utf8')).replace('status: draft', 'status: review')
    await writeFile(join(root, 'content/notices/2026-11-28-email-maintenance.md'), approveText(maintenance, { by: 'On-call', at: '2026-11-21T10:05' }))
    const io = collect()
    expect(await runSend({ yes: true, to: 'ana@example.com', 'no-channels': true }, ['2026-11-28-email-maintenance'], io, { root, env, tty: false })).toBe(0)
    const mail = sink.messages.at(-1)!
    const invite = mail.attachments.find((part) => part.contentType.startsWith('text/calendar'))
    expect(invite?.contentType).toBe('text/calendar')
    const ics = invite!.content.toString('utf8')
    expect(ics).toMatch(/^METHOD:PUBLISH\r$/m)
    expect(ics).toMatch(/^SEQUENCE:1\r$/m)
    expect(ics).toMatch(/^UID:notice-2026-11-28-email-maintenance@intranet\.example\.com\r$/m)
    expect(ics).toMatch(/^DTSTART:20261128T220000Z\r$/m)
    expect(posts).toHaveLength(3)
  })
})
