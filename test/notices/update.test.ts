import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli.ts'
import { parseDoc } from '../../src/content/load.ts'
import { appendNoticeUpdate } from '../../src/content/update-notice.ts'
import type { NoticeMeta } from '../../src/content/types.ts'
import { mainIn, tempProject } from '../helpers/project.ts'

let project: string
const path = 'content/notices/2026-12-01-printers.md'

const commented = `---
# Printers notice: the on-call engineer adds updates with \`newsletter update\`.
title: "Printers: nobody can print"   # the subject line
date: 2026-12-01
status: draft
summary: "Printing is down on every floor."
service: Printing
# investigating → identified → monitoring → resolved
state: investigating
impact: "Nobody can print."
next_update: 2026-12-01T10:00 # promised in the first email
updates:
  # Oldest first; each entry is one revision.
  - time: 2026-12-01T09:00
    state: investigating
    text: "We are looking into it."
---

## What happened

Not known yet.
`

const run = (...argv: string[]) => mainIn(project, argv)

beforeAll(async () => {
  // The update's own time comes from the clock: fixed, so the times it writes and compares are known (settings: UTC).
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-01T09:30:00Z') })
  project = tempProject()
  await writeFile(join(project, path), commented)
  // A broken draft elsewhere must not hold up an update to the notice.
  await writeFile(join(project, 'content/issues/2099-01.md'), '---\ntitle: Draft\nissue: 99\ndate: 2099-01-05\nsumary: typo\n---\nBody\n')
})

afterAll(async () => {
  vi.useRealTimers()
  await rm(project, { recursive: true, force: true })
})

describe('newsletter update', () => {
  it('appends an update, sets state and next_update, keeps every comment and the body, and says where it wrote', async () => {
    const result = await run(
      'update',
      '2026-12-01-printers',
      '--state',
      'identified',
      '--text',
      'A driver update broke the print server: we are rolling it back.',
      '--next-update',
      '2026-12-01T11:30',
    )
    expect(result.err).toBe('')
    expect(result.code).toBe(0)
    expect(result.out).toBe(
      'content/notices/2026-12-01-printers.md:17: update 2 (Cause identified) at 2026-12-01T09:30, next update 2026-12-01T11:30. To mail it, approve it, then send: newsletter approve 2026-12-01-printers --by "Your Name"',
    )
    const text = await readFile(join(project, path), 'utf8')
    const time = '2026-12-01T09:30'
    expect(text).toBe(
      // Only the values that change: the aligned comment after the title keeps its spaces.
      commented
        .replace('state: investigating\nimpact', 'state: identified\nimpact')
        .replace('next_update: 2026-12-01T10:00 #', 'next_update: 2026-12-01T11:30 #')
        .replace(
          '    text: "We are looking into it."\n',
          `    text: "We are looking into it."\n  - time: ${time}\n    state: identified\n    text: "A driver update broke the print server: we are rolling it back."\n`,
        ),
    )
    expect(text.split('\n')[16]).toBe(`  - time: ${time}`)
    const { file, doc } = parseDoc(path, text, 'notice')
    expect(file.messages).toEqual([])
    expect((doc!.meta as NoticeMeta).updates.map((u) => u.state)).toEqual(['investigating', 'identified'])
  })

  it('drops next_update when the notice is resolved', async () => {
    const result = await run('update', '2026-12-01-printers', '--state', 'resolved', '--text', 'Printing works again.')
    expect(result.code).toBe(0)
    expect(result.out).toContain('update 3 (Resolved)')
    expect(result.out).toContain(', no further updates.')
    const text = await readFile(join(project, path), 'utf8')
    expect(text).not.toContain('next_update')
    expect(text).toContain('# investigating → identified → monitoring → resolved\nstate: resolved\n')
  })

  it('refuses a next update for a notice that is over, and reopening it unless asked, with what to do', async () => {
    const before = await readFile(join(project, path), 'utf8')
    expect(await run('update', '2026-12-01-printers', '--state', 'resolved', '--text', 'x', '--next-update', '2026-12-01T12:00')).toEqual({
      code: 2,
      out: '',
      err: 'error: --next-update does not go with --state resolved: the email would promise an update that never comes\n  Leave out --next-update, or use --state monitoring if more updates will follow',
    })
    expect(await run('update', '2026-12-01-printers', '--state', 'monitoring', '--text', 'x')).toEqual({
      code: 2,
      out: '',
      err: `${path}:9:8: error: 2026-12-01-printers is resolved: --state monitoring would open it again\n  If it is back, say so with --reopen; if it is a new problem, start a new notice: newsletter new --notice`,
    })
    expect(await readFile(join(project, path), 'utf8')).toBe(before)

    vi.setSystemTime(new Date('2026-12-01T10:15:00Z'))
    const reopened = await run(
      'update',
      '2026-12-01-printers',
      '--state',
      'investigating',
      '--text',
      'Printing failed again.',
      '--reopen',
      '--next-update',
      '2026-12-01T11:00',
    )
    expect(reopened).toEqual({
      code: 0,
      out: `${path}:23: update 4 (Investigating) at 2026-12-01T10:15, next update 2026-12-01T11:00. To mail it, approve it, then send: newsletter approve 2026-12-01-printers --by "Your Name"`,
      err: '',
    })
    expect(await readFile(join(project, path), 'utf8')).toBe(
      before
        .replace('state: resolved\nimpact', 'state: investigating\nnext_update: 2026-12-01T11:00\nimpact')
        .replace(/\n---\n/, '\n  - time: 2026-12-01T10:15\n    state: investigating\n    text: "Printing failed again."\n---\n'),
    )
  })

  it('refuses a next update that is not after the update, and an update dated before the latest one', async () => {
    const before = await readFile(join(project, path), 'utf8')
    vi.setSystemTime(new Date('2026-12-01T10:20:00Z'))
    for (const next of ['2026-12-01T10:00', '2026-12-01 10:20']) {
      expect(await run('update', '2026-12-01-printers', '--state', 'identified', '--text', 'x', '--next-update', next)).toEqual({
        code: 2,
        out: '',
        err: `error: --next-update ${next} is not after this update, written at 2026-12-01T10:20 (UTC)\n  Give a later time, in the settings' time zone (UTC)`,
      })
    }
    // A clock behind the latest update (10:15): the new update would sort before it and take its number.
    vi.setSystemTime(new Date('2026-12-01T10:05:00Z'))
    const line = before.split('\n').indexOf('  - time: 2026-12-01T10:15') + 1
    expect(line).toBe(23)
    expect(await run('update', '2026-12-01-printers', '--state', 'identified', '--text', 'x')).toEqual({
      code: 2,
      out: '',
      err: `${path}:${line}:11: error: The latest update is dated 2026-12-01T10:15, after now (2026-12-01T10:05 in UTC): this update would come before it and renumber the updates readers link to\n  Correct that update's time, or \`timezone:\` in the settings if UTC is not where you are`,
    })
    expect(await readFile(join(project, path), 'utf8')).toBe(before)
  })

  it('refuses a state of the other kind, pointing at the notice', async () => {
    const before = await readFile(join(project, path), 'utf8')
    const result = await run('update', '2026-12-01-printers', '--state', 'scheduled', '--text', 'x')
    expect(result).toEqual({
      code: 2,
      out: '',
      err: `${path}:9:8: error: --state \`scheduled\` is not a state of an incident; it is one of investigating | identified | monitoring | resolved\n  Planned work is a separate notice with \`kind: maintenance\``,
    })
    expect(await readFile(join(project, path), 'utf8')).toBe(before)
  })

  it('refuses a badly written next-update time and an unknown notice, with what to do', async () => {
    expect(await run('update', '2026-12-01-printers', '--state', 'monitoring', '--text', 'x', '--next-update', '11:30')).toEqual({
      code: 2,
      out: '',
      err: 'error: --next-update must be a date and time written YYYY-MM-DDTHH:MM, got `11:30`\n  Write it like 2026-10-14T08:10',
    })
    expect(await run('update', '2026-12-01-printer', '--state', 'monitoring', '--text', 'x')).toEqual({
      code: 2,
      out: '',
      err: 'error: No notice named `2026-12-01-printer` in content/notices/\n  Did you mean `2026-12-01-printers`?',
    })
    expect((await run('update', '2026-11', '--state', 'monitoring', '--text', 'x')).err).toBe(
      'error: `2026-11` is an issue, not a notice\n  Give the slug of a notice (content/notices/)',
    )
  })

  it('updates a maintenance with its own states', async () => {
    await writeFile(
      join(project, 'content/notices/2026-12-05-email.md'),
      '---\ntitle: Email maintenance\ndate: 2026-12-01\nsummary: S\nkind: maintenance\nservice: Email\nstate: scheduled\nwindow: { start: 2026-12-05T22:00, end: 2026-12-06T02:00 }\nimpact: I\n---\n',
    )
    const result = await run('update', '2026-12-05-email', '--state', 'in-progress', '--text', 'The work has started.')
    expect(result.out).toMatch(/^content\/notices\/2026-12-05-email\.md:11: update 1 \(In progress\)/)
    expect(await readFile(join(project, 'content/notices/2026-12-05-email.md'), 'utf8')).toMatch(
      /^---\ntitle: Email maintenance\n[\s\S]*state: in-progress\nwindow: \{ start: 2026-12-05T22:00, end: 2026-12-06T02:00 \}\nimpact: I\nupdates:\n  - time: \S+\n    state: in-progress\n    text: "The work has started\."\n---\n$/,
    )
  })

  it('keeps Windows line ends and the body of a CRLF file', async () => {
    const crlf =
      '---\r\ntitle: Wi-Fi\r\ndate: 2026-12-01\r\nsummary: S\r\nservice: Wi-Fi # the office network\r\nstate: investigating\r\nimpact: I\r\n---\r\n\r\n## What happened\r\n\r\nNot known yet.\r\n'
    await writeFile(join(project, 'content/notices/2026-12-02-wifi.md'), crlf)
    const result = await run('update', '2026-12-02-wifi', '--state', 'identified', '--text', 'An access point failed.')
    expect(result.code).toBe(0)
    const text = await readFile(join(project, 'content/notices/2026-12-02-wifi.md'), 'utf8')
    expect(text.replace(/\r\n/g, '')).not.toContain('\n')
    expect(text).toMatch(
      /^---\r\ntitle: Wi-Fi\r\ndate: 2026-12-01\r\nsummary: S\r\nservice: Wi-Fi # the office network\r\nstate: identified\r\nimpact: I\r\nupdates:\r\n  - time: \S+\r\n    state: identified\r\n    text: "An access point failed\."\r\n---\r\n\r\n## What happened\r\n\r\nNot known yet\.\r\n$/,
    )
  })

  it('keeps the BOM, CRLF line ends and comments of a Notepad file, changing only the update lines', async () => {
    const windows =
      '\uFEFF---\r\n# Wi-Fi notice\r\ntitle: "Wi-Fi: down"   # the subject\r\ndate: 2026-12-01\r\nsummary: S\r\nservice: Wi-Fi\r\nstate: investigating # so far\r\nimpact: I\r\nnext_update: 2026-12-01T10:00\r\nupdates:\r\n  # Oldest first.\r\n  - time: 2026-12-01T09:00\r\n    state: investigating\r\n    text: "Looking."\r\n---\r\n\r\nBody.\r\n'
    const file = join(project, 'content/notices/2026-12-03-wifi.md')
    await writeFile(file, windows)
    vi.setSystemTime(new Date('2026-12-01T09:40:00Z'))
    const result = await run('update', '2026-12-03-wifi', '--state', 'identified', '--text', 'An access point failed.', '--next-update', '2026-12-01T11:00')
    expect(result.code).toBe(0)
    expect(await readFile(file)).toEqual(
      Buffer.from(
        windows
          .replace('state: investigating #', 'state: identified #')
          .replace('next_update: 2026-12-01T10:00', 'next_update: 2026-12-01T11:00')
          .replace(
            '    text: "Looking."\r\n',
            '    text: "Looking."\r\n  - time: 2026-12-01T09:40\r\n    state: identified\r\n    text: "An access point failed."\r\n',
          ),
      ),
    )
  })

  it("stamps the update in the settings' time zone, not the machine's", async () => {
    const other = tempProject()
    const machineZone = process.env.TZ
    try {
      await writeFile(join(other, 'content/settings.yml'), `${await readFile(join(other, 'content/settings.yml'), 'utf8')}timezone: Asia/Kolkata\n`)
      await writeFile(join(other, path), commented)
      // 09:15 UTC is 04:15 in New York (the machine here) and 14:45 in Kolkata (the settings).
      process.env.TZ = 'America/New_York'
      vi.setSystemTime(new Date('2026-12-01T09:15:00Z'))
      const out: string[] = []
      const code = await main(
        ['update', '2026-12-01-printers', '--state', 'identified', '--text', 'Found it.'],
        { out: (text) => out.push(text), err: (text) => out.push(text) },
        other,
      )
      expect(out).toEqual([
        `${path}:17: update 2 (Cause identified) at 2026-12-01T14:45. To mail it, approve it, then send: newsletter approve 2026-12-01-printers --by "Your Name"`,
      ])
      expect(code).toBe(0)
      expect(await readFile(join(other, path), 'utf8')).toContain('\n  - time: 2026-12-01T14:45\n    state: identified\n')
    } finally {
      if (machineZone === undefined) delete process.env.TZ
      else process.env.TZ = machineZone
      await rm(other, { recursive: true, force: true })
    }
  })

  it('turns an empty `updates: []` into a block list and adds `updates:` when there is none', () => {
    const update = { time: '2026-12-01T09:00', state: 'investigating' as const, text: 'Looking.' }
    expect(appendNoticeUpdate('---\ntitle: T\nupdates: [] # none yet\n---\nBody\n', update)).toEqual({
      // The comment of the empty list stays on its line; a missing `state` is added last.
      text: '---\ntitle: T\nupdates: # none yet\n  - time: 2026-12-01T09:00\n    state: investigating\n    text: "Looking."\nstate: investigating\n---\nBody\n',
      line: 4,
    })
    expect(appendNoticeUpdate('---\ntitle: T\nstate: x\n---\n', update).text).toBe(
      '---\ntitle: T\nstate: investigating\nupdates:\n  - time: 2026-12-01T09:00\n    state: investigating\n    text: "Looking."\n---\n',
    )
  })
})
