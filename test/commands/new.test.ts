import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { minuteIn } from '../../src/content/clock.ts'
import { parseDoc } from '../../src/content/load.ts'
import { defaultIssueDate } from '../../src/content/new-doc.ts'
import type { IssueMeta, NoticeMeta } from '../../src/content/types.ts'
import { sampleContent } from '../helpers/render.ts'
import { mainIn } from '../helpers/project.ts'

const repo = join(import.meta.dirname, '../..')
const tickets = join(repo, 'test/fixtures/new/tickets.csv')
let project: string

const run = (...argv: string[]) => mainIn(project, argv)

// A project with the September and October samples: `new` has history to carry over but no November issue yet.
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'newsletter-new-'))
  await mkdir(join(project, 'content/issues'), { recursive: true })
  await cp(join(repo, 'layouts'), join(project, 'layouts'), { recursive: true })
  for (const name of ['settings.yml', 'glossary.yml', 'issues/2026-09.md', 'issues/2026-10.md'])
    await copyFile(join(sampleContent, name), join(project, 'content', name))
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('newsletter new', () => {
  it('creates the next issue from a ticket export: it passes the schema, check points at its prompts, projects carried over', async () => {
    const result = await run('new', '--date', '2026-11-02', '--from-tickets', tickets)
    expect(result).toMatchObject({ code: 0, out: 'content/issues/2026-11.md' })
    const text = await readFile(join(project, 'content/issues/2026-11.md'), 'utf8')
    const { file, doc } = parseDoc('content/issues/2026-11.md', text, 'issue')
    expect(file.messages).toEqual([])
    const meta = doc!.meta as IssueMeta
    const october = parseDoc('o.md', await readFile(join(project, 'content/issues/2026-10.md'), 'utf8'), 'issue').doc!.meta as IssueMeta
    expect(meta).toMatchObject({ issue: october.issue + 1, date: '2026-11-02', status: 'draft', title: 'November 2026' })
    expect(meta.projects).toEqual(october.projects.filter((project) => project.status !== 'done'))
    expect(meta.projects.length).toBeGreaterThan(0)
    expect(meta.top_question).toMatchObject({ question: 'Password reset', asked: 5, category: 'Password reset' })
    // The generic export has no resolved column: counts and categories, no times.
    expect(meta.numbers).toEqual({
      period: '2026-10',
      opened: 13,
      resolved: 0,
      top_categories: [
        { name: 'Password reset', count: 5 },
        { name: 'VPN', count: 3 },
        { name: 'Printing', count: 2 },
        { name: 'New starter', count: 1 },
        { name: 'Software', count: 1 },
      ],
      channels: [],
    })
    expect(text).toContain('# Next most asked: VPN (3), Printing (2), New starter (1), Software (1).')
    expect(result.err).toContain('Top question: Password reset (5 of 13 tickets in October 2026).')
    // A stub is valid, but the prompts it starts with are errors until they are replaced (content/placeholder).
    const check = await run('check', 'content/issues/2026-11.md')
    expect(check.out.split('\n').filter((line) => line.includes(': error: '))).toEqual([
      'content/issues/2026-11.md:5:8: error: The title `November 2026` is only the month (content/placeholder)',
      'content/issues/2026-11.md:11:10: error: `summary` still has the prompt `What this issue covers, in one or two sentences.` (content/placeholder)',
      'content/issues/2026-11.md:36:11: error: `top_question.answer` still has the prompt `The answer, in a few short sentences or steps.` (content/placeholder)',
    ])
    expect(check.code).toBe(1)
  })

  it('refuses to overwrite an existing file', async () => {
    const before = await readFile(join(project, 'content/issues/2026-11.md'), 'utf8')
    const result = await run('new', '--date', '2026-11-20')
    expect(result.code).toBe(1)
    expect(result.err).toBe('error: content/issues/2026-11.md already exists; not overwriting it\n  Edit that file, or pass --date for another month')
    expect(await readFile(join(project, 'content/issues/2026-11.md'), 'utf8')).toBe(before)
  })

  it('creates a service notice that passes the schema', async () => {
    const result = await run('new', '--notice', '--date', '2026-11-20')
    expect(result).toMatchObject({ code: 0, out: 'content/notices/2026-11-20-notice.md' })
    const { file, doc } = parseDoc(result.out, await readFile(join(project, result.out), 'utf8'), 'notice')
    expect(file.messages).toEqual([])
    expect(doc!.meta as NoticeMeta).toMatchObject({ kind: 'notice', status: 'draft', state: 'investigating', date: '2026-11-20' })
  })

  it("dates an undated notice by the settings' time zone, not the machine's", async () => {
    // UTC+14 is never the same minute as the machine's UTC, and is a calendar day ahead from 10:00 UTC.
    const settings = join(project, 'content/settings.yml')
    const before = await readFile(settings, 'utf8')
    await writeFile(settings, `${before}\ntimezone: Pacific/Kiritimati\n`)
    try {
      const started = minuteIn(new Date(), 'Pacific/Kiritimati')
      const result = await run('new', '--notice')
      const written = (parseDoc(result.out, await readFile(join(project, result.out), 'utf8'), 'notice').doc!.meta as NoticeMeta).updates[0]!.time
      const finished = minuteIn(new Date(), 'Pacific/Kiritimati')
      expect(result.out).toBe(`content/notices/${written.slice(0, 10)}-notice.md`)
      expect([started, finished]).toContain(written)
    } finally {
      await writeFile(settings, before)
    }
  })

  it('rejects a bad date and tickets with a notice as usage errors', async () => {
    expect(await run('new', '--date', '2026-13-01')).toMatchObject({ code: 2, err: 'error: --date must be YYYY-MM-DD, got `2026-13-01`' })
    expect((await run('new', '--notice', '--from-tickets', tickets)).code).toBe(2)
  })

  it('dates the next issue today, or the month after the latest when this month has one', () => {
    expect(defaultIssueDate('2026-10-01', '2026-11-22')).toBe('2026-11-22')
    expect(defaultIssueDate('2026-11-03', '2026-11-22')).toBe('2026-12-01')
    expect(defaultIssueDate('2026-12-01', '2026-11-22')).toBe('2027-01-01')
    expect(defaultIssueDate(undefined, '2026-11-22')).toBe('2026-11-22')
  })
})
