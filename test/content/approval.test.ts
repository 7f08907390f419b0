import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { approveDocument } from '../../src/project/approve.ts'
import { runSend } from '../../src/commands/send.ts'
import { parseDoc } from '../../src/content/load.ts'
import { approveText, checkApproval, contentDigest, partsOf } from '../../src/content/approval.ts'
import { collect, makeProject, removeProject, repo } from '../send/helpers.ts'

const roots: string[] = []
const machineZone = process.env.TZ
afterEach(async () => {
  vi.useRealTimers()
  if (machineZone === undefined) delete process.env.TZ
  else process.env.TZ = machineZone
  for (const root of roots.splice(0)) await removeProject(root)
})

const sample = `---
# The monthly issue
title: "November"   # keep it short
issue: 14
date: 2026-11-03
status: review
summary: "Restarts."
tags: [security, windows]
---

Body text.
`

describe('approval', () => {
  it('changes only the approval lines, below status, keeping comments and quoting', () => {
    const approved = approveText(sample, { by: 'Dana "DW" Whitfield', at: '2026-11-02T09:15' })
    const digest = contentDigest(sample)
    expect(approved).toBe(
      sample.replace(
        'status: review\n',
        `status: approved\napproved_by: "Dana \\"DW\\" Whitfield"\napproved_at: 2026-11-02T09:15\napproved_digest: ${digest}\napproved_parts: "${partsOf(sample)}"\n`,
      ),
    )
    const doc = parseDoc('x.md', approved, 'issue').doc!
    expect(doc.meta).toMatchObject({ status: 'approved', approved_by: 'Dana "DW" Whitfield', approved_at: '2026-11-02T09:15', approved_digest: digest })
    // Approving again replaces the values in place.
    const again = approveText(approved, { by: 'Sam', at: '2026-11-03T10:00' })
    expect(again.split('\n').length).toBe(approved.split('\n').length)
    expect(again).toContain('approved_by: "Sam"\napproved_at: 2026-11-03T10:00\n')
  })

  it('digests content, not approval keys, comments or key order', () => {
    const digest = contentDigest(sample)
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(contentDigest(approveText(sample, { by: 'A', at: '2026-11-02T09:15' }))).toBe(digest)
    expect(contentDigest(sample.replace('# The monthly issue\n', '').replace('issue: 14\ndate: 2026-11-03\n', 'date: 2026-11-03\nissue: 14\n'))).toBe(digest)
    expect(contentDigest(sample.replace('Body text.', 'Body text!'))).not.toBe(digest)
    expect(contentDigest(sample.replace('[security, windows]', '[security]'))).not.toBe(digest)
    expect(contentDigest(sample.replace('"Restarts."', '"Restarts!"'))).not.toBe(digest)
  })

  it('accepts the unchanged approved sample content', async () => {
    for (const path of ['content/issues/2026-09.md', 'content/issues/2026-10.md', 'content/issues/2026-11.md', 'content/notices/2026-10-14-vpn-outage.md']) {
      const text = await readFile(join(repo, path), 'utf8')
      const doc = parseDoc(path, text, path.includes('notices') ? 'notice' : 'issue').doc!
      expect(() => checkApproval(doc, text), path).not.toThrow()
    }
  })

  it('refuses a document that is not approved, pointing at status', async () => {
    const root = await makeProject({ approve: false, edit: (text) => text.replace('status: approved', 'status: review') })
    roots.push(root)
    const error = await runSend({ yes: true, to: 'a@example.com', 'dry-run': true }, ['2026-11'], collect(), { root, env: {}, tty: false }).then(
      () => undefined,
      (error: unknown) => error,
    )
    // A test send (--to) is allowed for any status.
    expect(error).toBeUndefined()
    const refused = await runSend({ yes: true, list: 'all-staff@example.com' }, ['2026-11'], collect(), { root, env: {}, tty: false }).catch(
      (caught: unknown) => caught,
    )
    expect(refused).toMatchObject({
      code: 'refused',
      message: '2026-11 is not approved (status: review); only approved issues and notices go out',
      where: { line: 5, column: 9 },
    })
  })

  it('refuses content changed after approval, pointing at approved_digest, until approved again', async () => {
    const root = await makeProject()
    roots.push(root)
    const path = join(root, 'content/issues/2026-11.md')
    const text = await readFile(path, 'utf8')
    await writeFile(path, text.replace('184 of you did', '185 of you did'))
    const line = text.split('\n').findIndex((l) => l.startsWith('approved_digest:')) + 1
    const flags = { yes: true, list: 'all-staff@example.com' }
    const refused = await runSend(flags, ['2026-11'], collect(), { root, env: {}, tty: false }).catch((caught: unknown) => caught)
    expect(refused).toMatchObject({
      code: 'refused',
      message: '2026-11 changed after it was approved by Test Approver at 2026-11-02T09:00: the content no longer matches approved_digest',
      where: { line, column: 18 },
      hint: 'Have the changes reviewed, then approve again: newsletter approve 2026-11 --by "Your Name"',
    })

    const approval = collect()
    expect(await approveDocument('2026-11', 'Second Reviewer', approval, root)).toBe(0)
    expect(approval.stdout).toMatch(/^Approved .*content\/issues\/2026-11\.md by Second Reviewer at \d{4}-\d\d-\d\dT\d\d:\d\d \(sha256:/)
    const unchanged = collect()
    const before = await readFile(path, 'utf8')
    expect(await approveDocument('2026-11', 'Someone Else', unchanged, root)).toBe(0)
    expect(unchanged.stdout).toMatch(/is already approved as it is \(by Second Reviewer at .*\); nothing changed\./)
    expect(await readFile(path, 'utf8')).toBe(before)

    const sent = collect()
    expect(await runSend(flags, ['2026-11'], sent, { root, env: {}, tty: false })).toBe(0)
    const eml = await readFile(join(root, 'dist/outbox/2026-11/all-staff@example.com.eml'), 'utf8')
    expect(eml).toMatch(/^Content-Type: multipart\/alternative;/m)
    expect(eml).toContain('185 of you did')
  })

  it('keeps the Windows line ends of a file saved with CRLF, and the approval holds', async () => {
    const root = await makeProject({ approve: false, edit: (text) => text.replace('needs a restart on Thursday', 'needs a restart this Thursday') })
    roots.push(root)
    const path = join(root, 'content/issues/2026-11.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace(/\n/g, '\r\n'))
    expect(await approveDocument('2026-11', 'Dana Whitfield', collect(), root)).toBe(0)
    const text = await readFile(path, 'utf8')
    expect(text.replace(/\r\n/g, '')).not.toContain('\n')
    expect(text).toMatch(/\r\nstatus: approved\r\napproved_by: "Dana Whitfield"\r\n/)
    const flags = { yes: true, list: 'all-staff@example.com' }
    expect(await runSend(flags, ['2026-11'], collect(), { root, env: {}, tty: false })).toBe(0)
  })

  it('keeps the BOM, CRLF line ends and comments of a Notepad file, changing only the approval lines', async () => {
    const root = await makeProject({ approve: false })
    roots.push(root)
    const path = join(root, 'content/issues/2026-11.md')
    const lf = (await readFile(path, 'utf8'))
      .replace('status: approved\n', '# Who signed it off:\nstatus: review   # draft, review or approved\n')
      .replace(/^approved_(by|at|digest|parts):.*\n/gm, '')
    const windows = `\uFEFF${lf.replace(/\n/g, '\r\n')}`
    await writeFile(path, windows)
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-02T09:15:00Z') })
    expect(await approveDocument('2026-11', 'Dana Whitfield', collect(), root)).toBe(0)
    const approval = `approved_by: "Dana Whitfield"\r\napproved_at: 2026-11-02T09:15\r\napproved_digest: ${contentDigest(lf)}\r\napproved_parts: "${partsOf(lf)}"\r\n`
    expect(await readFile(path)).toEqual(
      Buffer.from(windows.replace('status: review   # draft, review or approved\r\n', `status: approved   # draft, review or approved\r\n${approval}`)),
    )
    const flags = { yes: true, list: 'all-staff@example.com' }
    expect(await runSend(flags, ['2026-11'], collect(), { root, env: {}, tty: false })).toBe(0)
  })

  it('refuses to approve a document the checks find errors in, and leaves the file as it was', async () => {
    const root = await makeProject({
      approve: false,
      edit: (text) => text.replace('status: approved', 'status: review').replace('## ', '![](https://intranet.example.com/chart.png)\n\n## '),
    })
    roots.push(root)
    const path = join(root, 'content/issues/2026-11.md')
    const before = await readFile(path, 'utf8')
    const line = before.split('\n').indexOf('![](https://intranet.example.com/chart.png)') + 1
    const refused = await approveDocument('2026-11', 'Dana Whitfield', collect(), root).catch((error: unknown) => error)
    expect(refused).toMatchObject({ code: 'content', message: 'Not approved: fix the errors above first.' })
    expect((refused as { messages: unknown[] }).messages).toEqual([
      expect.objectContaining({ file: 'content/issues/2026-11.md', line, column: 1, severity: 'error', rule: 'email/image-alt' }),
    ])
    expect(await readFile(path, 'utf8')).toBe(before)
  })

  it("stamps approved_at in the settings' time zone, not the machine's", async () => {
    const root = await makeProject({ approve: false, edit: (text) => text.replace('status: approved', 'status: review') })
    roots.push(root)
    await appendFile(join(root, 'content/settings.yml'), 'timezone: Asia/Kolkata\n')
    // 09:15 UTC is 04:15 in New York (the machine here) and 14:45 in Kolkata (the settings).
    process.env.TZ = 'America/New_York'
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-02T09:15:00Z') })
    const io = collect()
    expect(await approveDocument('2026-11', 'Dana Whitfield', io, root)).toBe(0)
    expect(io.stdout).toMatch(/^Approved content\/issues\/2026-11\.md by Dana Whitfield at 2026-11-02T14:45 \(sha256:/)
    expect(await readFile(join(root, 'content/issues/2026-11.md'), 'utf8')).toMatch(/\napproved_at: 2026-11-02T14:45\n/)
  })
})
