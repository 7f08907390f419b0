import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseSettings } from '../../src/config.ts'
import { parseFeedback } from '../../src/content/feedback.ts'
import { splitMbox } from '../../src/feedback/mailbox.ts'
import { commentOf } from '../../src/feedback/reply.ts'
import { addReplies, countTally, emptyTally, type CountedReply } from '../../src/feedback/tally.ts'
import { findToken, formatToken } from '../../src/feedback/token.ts'
import { sampleContent } from '../helpers/render.ts'
import { mainIn } from '../helpers/project.ts'

const repo = join(import.meta.dirname, '../..')
let project: string

const run = (...argv: string[]) => mainIn(project, argv)

// September and October, with answers to October's buttons: the next issue is November.
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'newsletter-told-'))
  await mkdir(join(project, 'content/issues'), { recursive: true })
  await mkdir(join(project, 'content/feedback'), { recursive: true })
  await cp(join(repo, 'layouts'), join(project, 'layouts'), { recursive: true })
  for (const name of ['settings.yml', 'glossary.yml', 'issues/2026-09.md', 'issues/2026-10.md'])
    await copyFile(join(sampleContent, name), join(project, 'content', name))
  await writeFile(
    join(project, 'content/feedback/2026-10.yml'),
    'yes: 17\nno: 6\ncomments: 3\nsections:\n  - { id: it-is-cybersecurity-awareness-month, yes: 4, no: 1, comments: 1 }\ndepartments: []\n',
  )
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('"You told us"', () => {
  it("newsletter new stubs the section with the last issue's figures and comments", async () => {
    const result = await run('new', '--date', '2026-11-02')
    expect(result).toMatchObject({ code: 0, out: 'content/issues/2026-11.md' })
    expect(result.err).toContain('"You told us" stubbed with issue 13\'s answers.')
    const text = await readFile(join(project, 'content/issues/2026-11.md'), 'utf8')
    expect(text).toContain(
      [
        '## You told us',
        '',
        '<!--',
        'Issue 13: 23 people answered "Was this useful?", 17 found it useful (74%).',
        '"It is Cybersecurity Awareness Month": 5 people answered, 4 found it useful.',
        '4 replies had a comment (`newsletter feedback import … --comments FILE` writes them out).',
        'Say what you heard and what IT did about it ("you said, we did"), in a few sentences.',
        '-->',
        '',
        '23 people answered last month\'s "Was this useful?" and 17 found it useful. What you told us, and what we did about it.',
      ].join('\n'),
    )
  })

  it("check flags the stub's prompt, and warns at the first section when the section is missing", async () => {
    const path = join(project, 'content/issues/2026-11.md')
    const stubbed = await run('check', 'content/issues/2026-11.md', '--format', 'json')
    const findings = JSON.parse(stubbed.out) as { line: number; column: number; rule: string; message: string }[]
    const prompt = findings.find((finding) => finding.message.includes('What you told us'))
    expect(prompt).toMatchObject({ rule: 'content/placeholder', column: 1 })
    expect(findings.some((finding) => finding.rule === 'sense/you-told-us')).toBe(false)

    const text = (await readFile(path, 'utf8')).replace('## You told us', '## News from IT')
    await writeFile(path, text)
    const heading = text.split('\n').indexOf('## News from IT') + 1
    const missing = await run('check', 'content/issues/2026-11.md')
    expect(missing.out).toContain(
      `content/issues/2026-11.md:${heading}:1: warning: 23 people answered issue 13's "Was this useful?", and this issue has no "You told us" section (sense/you-told-us)\n` +
        '  Add "## You told us": what readers said and what IT did about it (`newsletter new` writes it with the figures)',
    )
  })
})

describe('feedback parts', () => {
  it('refuses a bad feedback setting or counts file at its line and column', async () => {
    const settings = (await readFile(join(sampleContent, 'settings.yml'), 'utf8')) + '\nfeedback:\n  address: it-feedback\n  per_section: yes please\n'
    const line = settings.split('\n').indexOf('  address: it-feedback') + 1
    const { file } = parseSettings('content/settings.yml', settings)
    expect(file.messages.map((message) => `${message.line}:${message.column} ${message.reason} (${message.ruleId})`)).toEqual([
      `${line}:12 \`address\` must be an email address, got \`it-feedback\` (settings/address)`,
      `${line + 1}:16 \`per_section\` must be true or false, got \`yes please\` (settings/per_section)`,
    ])
    const counts = parseFeedback('content/feedback/2026-11.yml', 'yes: 3\nno: many\n')
    expect(counts.counts).toBeUndefined()
    expect(counts.file.messages.map((message) => `${message.line}:${message.column} ${message.reason}`)).toEqual([
      '2:5 `no` must be a whole number ≥ 0, got `many`',
    ])
  })

  it('finds a token however a mail client gave the subject back, and nothing in a subject without one', () => {
    expect(findToken(`RE: AW: Feedback — yes ${formatToken({ slug: '2026-11', answer: 'yes' })}`)).toEqual({
      slug: '2026-11',
      section: undefined,
      answer: 'yes',
    })
    expect(findToken('Fwd: Feedback [fb:2026-11/\r\n thank-you/\r\n NO]')).toEqual({ slug: '2026-11', section: 'thank-you', answer: 'no' })
    expect(findToken('[EXTERNAL] fb:2026-11/windows/Yes')).toEqual({ slug: '2026-11', section: 'windows', answer: 'yes' })
    expect(findToken('Re: a question about fb: and yes')).toBeUndefined()
  })

  it('splits an mbox at From lines after an empty line, unescaping >From and keeping CRLF', () => {
    const box = Buffer.from('From a Mon\r\nSubject: one\r\n\r\n>From here\r\nFrom the start\r\n\r\nFrom b Tue\r\nSubject: two\r\n\r\nbody\r\n', 'latin1')
    expect(splitMbox(box).map((part) => part.toString('latin1'))).toEqual([
      'Subject: one\r\n\r\nFrom here\r\nFrom the start\r\n',
      'Subject: two\r\n\r\nbody\r\n',
    ])
  })

  it('keeps what was written, not the quote, the sign-off or an address', () => {
    expect(commentOf('Useful, but write to me at jane.doe@example.com\n\nBest regards,\nJane Doe\n+44 20 7946 0000')).toBe(
      'Useful, but write to me at [address]',
    )
    expect(commentOf('Kurz bitte.\n\nAm 3. Nov. 2026 um 09:00 schrieb IT <it@example.com>:\n> Hallo')).toBe('Kurz bitte.')
  })

  it('counts a later answer over an earlier one, and hides small departments and what would give them away', () => {
    const key = 'k'.repeat(32)
    const reply = (sender: string, answer: 'yes' | 'no', date: string, department?: string): CountedReply => ({
      token: { slug: '2026-11', answer },
      sender,
      date: new Date(date),
      messageKey: `${sender}${date}`,
      hasComment: false,
      department,
    })
    const finance = Array.from({ length: 7 }, (_, i) => reply(`f${i}@example.com`, 'yes', '2026-11-03', 'finance'))
    const tally = addReplies(emptyTally(key), key, [
      ...finance,
      reply('o1@example.com', 'yes', '2026-11-03', 'ops'),
      reply('o2@example.com', 'no', '2026-11-03', 'ops'),
    ])
    // Operations has 2 answers: hidden; the total minus Finance would give it away, so Finance is hidden too.
    expect(countTally(tally)).toMatchObject({ yes: 8, no: 1, departments: [] })
    const sales = Array.from({ length: 5 }, (_, i) => reply(`s${i}@example.com`, 'no', '2026-11-03', 'sales'))
    const more = addReplies(tally, key, [...sales, reply('f0@example.com', 'no', '2026-11-05'), reply('f1@example.com', 'no', '2026-11-01')])
    // f0's later "no" replaces his "yes"; f1's "no" is older than her "yes" and does not. Operations (2) stays hidden,
    // and so does Sales (5), the smallest shown group, so the hidden answers are 7, not 2.
    expect(countTally(more)).toMatchObject({ yes: 7, no: 7, departments: [{ id: 'finance', yes: 6, no: 1 }] })
    const ops = Array.from({ length: 3 }, (_, i) => reply(`o${i + 3}@example.com`, 'yes', '2026-11-03', 'ops'))
    expect(countTally(addReplies(more, key, ops)).departments).toEqual([
      { id: 'finance', yes: 6, no: 1 },
      { id: 'ops', yes: 4, no: 1 },
      { id: 'sales', yes: 0, no: 5 },
    ])
    expect(JSON.stringify(more)).not.toContain('@')
  })
})
