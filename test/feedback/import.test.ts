import { appendFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildProject } from '../../src/project/build.ts'
import { serveSite, type SiteServer } from '../../src/site/serve.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { runCli, tempProject } from '../helpers/project.ts'

const key = 'test-key-0123456789abcdef0123456789abcdef'
const env = { NEWSLETTER_FEEDBACK_KEY: key }
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

let root: string

/** Every `mailto:` subject with a feedback token in a built email, by token: what a reader's tap would send. */
async function subjectsIn(slug: string): Promise<Map<string, string>> {
  const html = await readFile(join(root, 'dist', 'email', `${slug}.html`), 'utf8')
  const subjects = new Map<string, string>()
  for (const [, href] of html.matchAll(/href="(mailto:[^"]+)"/g)) {
    const url = new URL(href!.replace(/&amp;/g, '&'))
    const subject = url.searchParams.get('subject') ?? ''
    const token = /\[fb:[^\]]+\]/.exec(subject)?.[0]
    if (token) subjects.set(token, subject)
  }
  return subjects
}

// Quoted-printable (RFC 2045 §6.7): bytes outside printable ASCII and `=` as =XX, lines soft-broken before 76.
function qp(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const encoded = [...Buffer.from(line, 'utf8')]
        .map((byte) => (byte === 0x3d || byte > 0x7e ? `=${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte)))
        .join('')
      return encoded.replace(/(.{72}[^=]{0,2})(?=.)/g, '$1=\n')
    })
    .join('\n')
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('base64')
    .replace(/(.{76})/g, '$1\n')
}

/** An RFC 2047 subject folded over two lines, as Outlook and Apple Mail write a long non-ASCII one. */
function encodedSubject(subject: string): string {
  const half = Math.ceil(subject.length / 2)
  const word = (part: string) => `=?UTF-8?B?${Buffer.from(part, 'utf8').toString('base64')}?=`
  return `${word(subject.slice(0, half))}\n ${word(subject.slice(half))}`
}

interface Mail {
  from: string
  subject: string
  date: string
  id: string
  body: string
  encoding?: '7bit' | 'quoted-printable' | 'base64'
}

function raw(mail: Mail): string {
  const encoding = mail.encoding ?? '7bit'
  const body = encoding === 'base64' ? base64(mail.body) : encoding === 'quoted-printable' ? qp(mail.body) : mail.body
  return [
    `From: ${mail.from}`,
    'To: Brightwater feedback <feedback@example.com>',
    `Subject: ${mail.subject}`,
    `Date: ${mail.date}`,
    `Message-ID: <${mail.id}@mail.example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Transfer-Encoding: ${encoding}`,
    '',
    body,
    '',
  ].join('\n')
}

// mboxrd (what Thunderbird and Gmail's Takeout write): a `From ` line before each message, `From ` in a body escaped as `>From `.
function mbox(mails: Mail[]): string {
  return mails.map((mail) => `From MAILER-DAEMON Thu Nov  5 10:00:00 2026\n${raw(mail).replace(/^(>*From )/gm, '>$1')}\n`).join('')
}

const senders = ['alice.lee', 'bob.berg', 'carol.sand', 'dave.moss', 'erin.hart', 'frank.fisher', 'grace.holm', 'henry.wu', 'ivy.out'].map(
  (name) => `${name}@example.com`,
)

let subjects: Map<string, string>
const outputs: string[] = []

beforeAll(async () => {
  root = tempProject()
  await appendFile(join(root, 'content', 'settings.yml'), '\nfeedback:\n  address: feedback@example.com\n  per_section: true\n')
  await writeFile(
    join(root, 'content', 'departments.yml'),
    'departments:\n  - { id: finance, name: Finance }\n  - { id: sales, name: Sales }\n  - { id: operations, name: Operations }\nunmapped: general\n',
  )
  const built = await buildProject(root)
  if (!built.ok) throw new Error(built.messages.map((m) => m.message).join('\n'))
  subjects = await subjectsIn('2026-11')

  const whole = (answer: string) => subjects.get(`[fb:2026-11/${answer}]`)!
  const section = (id: string, answer: string) => subjects.get(`[fb:2026-11/${id}/${answer}]`)!
  const mboxMails: Mail[] = [
    {
      from: 'Alice Lee <alice.lee@example.com>',
      subject: `RE: ${whole('yes')}`,
      date: 'Tue, 3 Nov 2026 09:15:00 +0000',
      id: 'alice-1',
      body: 'Very clear this month.\n\nOn Tue, 3 Nov 2026 at 09:00, Brightwater IT <feedback@example.com> wrote:\n> Was this useful?',
    },
    {
      from: 'Bob Berg <bob.berg@example.com>',
      subject: `AW: ${encodedSubject(whole('no'))}`,
      date: 'Tue, 3 Nov 2026 10:00:00 +0100',
      id: 'bob-1',
      body: 'Zu lang für mich, bitte kürzer.\n\n-- \nBob Berg\nFinance · bob.berg@example.com',
      encoding: 'quoted-printable',
    },
    {
      from: 'carol.sand@example.com',
      subject: `SV: ${section('windows-11-update-restart-on-thursday', 'yes')}`,
      date: 'Tue, 3 Nov 2026 11:00:00 +0000',
      id: 'carol-1',
      body: '\nSkickat från min iPhone',
      encoding: 'base64',
    },
    // The same message again (a mailbox exported twice over): nothing changes.
    {
      from: 'Alice Lee <alice.lee@example.com>',
      subject: `RE: ${whole('yes')}`,
      date: 'Tue, 3 Nov 2026 09:15:00 +0000',
      id: 'alice-1',
      body: 'Very clear this month.',
    },
    // Dave changed his mind: the later answer (by Date, not by place in the file) counts.
    { from: 'Dave Moss <dave.moss@example.com>', subject: whole('no'), date: 'Thu, 5 Nov 2026 08:00:00 +0000', id: 'dave-2', body: '' },
    { from: 'Dave Moss <dave.moss@example.com>', subject: whole('yes'), date: 'Wed, 4 Nov 2026 08:00:00 +0000', id: 'dave-1', body: '' },
    {
      from: 'Ivy Out <ivy.out@example.com>',
      subject: 'Automatic reply: out of office',
      date: 'Tue, 3 Nov 2026 09:01:00 +0000',
      id: 'ivy-1',
      body: 'I am away.',
    },
    {
      from: 'Henry Wu <henry.wu@example.com>',
      subject: whole('yes'),
      date: 'Tue, 3 Nov 2026 12:00:00 +0000',
      id: 'henry-1',
      body: 'I read it all.\nFrom now on I restart on Thursdays.\n\nKind regards\nHenry Wu',
    },
    { from: 'Ivy Out <ivy.out@example.com>', subject: 'Feedback [fb:2025-01/yes]', date: 'Tue, 3 Nov 2026 09:02:00 +0000', id: 'ivy-2', body: '' },
  ]
  await writeFile(join(root, 'replies.mbox'), mbox(mboxMails))

  // Outlook "Save as" and Exchange exports: one .eml each, CRLF line ends.
  const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n')
  await mkdir(join(root, 'exported'))
  await writeFile(
    join(root, 'exported', 'erin.eml'),
    crlf(
      raw({
        from: '"Hart, Erin" <erin.hart@example.com>',
        subject: `RE: ${whole('yes')}`,
        date: 'Tue, 3 Nov 2026 14:00:00 +0000',
        id: 'erin-1',
        body: 'Good to know about the phone line – thanks!\n\n-----Original Message-----\nFrom: Brightwater IT <feedback@example.com>\nSent: Tuesday, November 3, 2026 9:00 AM',
        encoding: 'quoted-printable',
      }),
    ),
  )
  await writeFile(
    join(root, 'exported', 'forwarded.eml'),
    crlf(
      raw({
        from: 'Dana Whitfield <dana.w@example.com>',
        subject: `Fwd: ${whole('yes')}`,
        date: 'Wed, 4 Nov 2026 16:00:00 +0000',
        id: 'fwd-1',
        body: [
          'This one landed in my inbox.',
          '',
          '---------- Forwarded message ---------',
          'From: Frank Fisher <frank.fisher@example.com>',
          'Date: Wed, 4 Nov 2026 08:30:00 +0000',
          `Subject: ${whole('yes')}`,
          'To: <dana.w@example.com>',
          '',
          'The restart reminder saved my work!',
        ].join('\n'),
      }),
    ),
  )
  await writeFile(
    join(root, 'exported', 'alice-again.eml'),
    crlf(
      raw({
        from: 'Alice Lee <alice.lee@example.com>',
        subject: `RE: ${whole('yes')}`,
        date: 'Tue, 3 Nov 2026 09:15:00 +0000',
        id: 'alice-1',
        body: 'Very clear this month.',
      }),
    ),
  )
  // A client that rewrote the subject: a gateway's tag in front, the token in capitals.
  const rewritten = section('faster-help-on-the-phone', 'no').replace(/\[fb:([^\]]+)\]/, (_, inner: string) => `[FB:${inner.toUpperCase()}]`)
  await writeFile(
    join(root, 'exported', 'grace.eml'),
    crlf(raw({ from: 'grace.holm@example.com', subject: `[EXTERNAL] Re: ${rewritten}`, date: 'Tue, 3 Nov 2026 15:00:00 +0000', id: 'grace-1', body: '' })),
  )
}, 180_000)

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('the feedback buttons in the built email', () => {
  it('carry one token per answer for the issue and for each section, readable and the same for everyone', () => {
    expect([...subjects.keys()].sort()).toEqual([
      '[fb:2026-11/faster-help-on-the-phone/no]',
      '[fb:2026-11/faster-help-on-the-phone/yes]',
      '[fb:2026-11/no]',
      '[fb:2026-11/thank-you/no]',
      '[fb:2026-11/thank-you/yes]',
      '[fb:2026-11/windows-11-update-restart-on-thursday/no]',
      '[fb:2026-11/windows-11-update-restart-on-thursday/yes]',
      '[fb:2026-11/yes]',
    ])
    expect(subjects.get('[fb:2026-11/yes]')).toBe('Feedback on issue 14, November 2026 — yes [fb:2026-11/yes]')
    expect(subjects.get('[fb:2026-11/faster-help-on-the-phone/no]')).toBe(
      'Feedback on November 2026: Faster help on the phone — no [fb:2026-11/faster-help-on-the-phone/no]',
    )
  })

  it('goes to feedback.address, and the text part has the same links', async () => {
    const html = await readFile(join(root, 'dist', 'email', '2026-11.html'), 'utf8')
    const text = await readFile(join(root, 'dist', 'email', '2026-11.txt'), 'utf8')
    expect(html).toContain(
      'href="mailto:feedback@example.com?subject=Feedback%20on%20issue%2014%2C%20November%202026%20%E2%80%94%20yes%20%5Bfb%3A2026-11%2Fyes%5D"',
    )
    expect(text).toContain('Was this useful?\nYes, this helped [')
    expect(text.match(/Did this help you\?\nYes, this helped \[\d+\] \/ No \[\d+\]/g)).toHaveLength(3)
    expect(text).toContain(
      'mailto:feedback@example.com?subject=Feedback%20on%20November%202026%3A%20Thank%20you%20%E2%80%94%20no%20%5Bfb%3A2026-11%2Fthank-you%2Fno%5D',
    )
  })
})

describe('newsletter feedback import', () => {
  it('counts one answer per person and section from an mbox and a folder of .eml files', async () => {
    const run = await runCli(root, ['feedback', 'import', 'replies.mbox', 'exported', '--comments', 'comments.md'], env)
    outputs.push(run.stdout, run.stderr)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout.split('\n')).toEqual([
      'Read 13 messages: 11 with a feedback code.',
      'Issue 14 (2026-11): 6 people answered: 4 found it useful; 5 comments (content/feedback/2026-11.yml written)',
      '  Windows 11 update: restart on Thursday: 1 answered, 1 found it useful',
      '  Faster help on the phone: 1 answered, 0 found it useful',
      'Other replies (no feedback code, left alone): 1',
      'Feedback codes naming no issue or section of this project (not counted): 1',
      '5 comments written to comments.md',
      '',
    ])
    expect(await readFile(join(root, 'content', 'feedback', '2026-11.yml'), 'utf8')).toBe(
      [
        '# Answers to the feedback buttons of 2026-11, counted by `newsletter feedback import`.',
        '# Counts only: who answered is never written here. Departments with fewer than 5 answers are not shown.',
        'yes: 4',
        'no: 2',
        'comments: 5',
        'sections:',
        '  - { id: windows-11-update-restart-on-thursday, yes: 1, no: 0, comments: 0 }',
        '  - { id: faster-help-on-the-phone, yes: 0, no: 1, comments: 0 }',
        'departments: []',
        '',
      ].join('\n'),
    )
  })

  it('writes the comments without quoted text, signatures or addresses', async () => {
    const comments = await readFile(join(root, 'comments.md'), 'utf8')
    expect(comments).toContain('- **yes**, 2026-11-03: Very clear this month.\n')
    expect(comments).toContain('- **no**, 2026-11-03: Zu lang für mich, bitte kürzer.\n')
    expect(comments).toContain('- **yes**, 2026-11-03: Good to know about the phone line – thanks!\n')
    expect(comments).toContain('- **yes**, 2026-11-04: The restart reminder saved my work!\n')
    expect(comments).toContain('- **yes**, 2026-11-03: I read it all.\n  From now on I restart on Thursdays.\n')
    for (const gone of ['wrote:', 'Original Message', 'Bob Berg', 'Henry Wu', 'Kind regards', 'landed in my inbox', 'Skickat'])
      expect(comments).not.toContain(gone)
  })

  it('changes nothing when the same mailbox is imported again', async () => {
    const files = [join(root, 'content', 'feedback', '2026-11.yml'), join(root, '.newsletter', 'feedback', '2026-11.json')]
    const before = await Promise.all(files.map((file) => readFile(file)))
    const run = await runCli(root, ['feedback', 'import', 'exported', 'replies.mbox'], env)
    outputs.push(run.stdout, run.stderr)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Issue 14 (2026-11): 6 people answered: 4 found it useful; 5 comments (content/feedback/2026-11.yml unchanged)')
    expect(await Promise.all(files.map((file) => readFile(file)))).toEqual(before)
  })

  it('counts per department from the staff list, never a group under 5 answers', async () => {
    // Answers to issue 13 from 7 people in Finance, 6 in Sales, 3 in Operations and 2 not on the list.
    const people = [
      ...Array.from({ length: 7 }, (_, i) => ({ name: `fin${i}`, department: 'Finance', answer: i < 5 ? 'yes' : 'no' })),
      ...Array.from({ length: 6 }, (_, i) => ({ name: `sal${i}`, department: 'Sales', answer: i < 2 ? 'yes' : 'no' })),
      ...Array.from({ length: 3 }, (_, i) => ({ name: `ops${i}`, department: 'Operations', answer: 'yes' })),
      ...Array.from({ length: 2 }, (_, i) => ({ name: `new${i}`, department: '', answer: 'yes' })),
    ]
    const october = await subjectsIn('2026-10')
    const mails = people.map((person, i) => ({
      from: `${person.name}@example.com`,
      subject: `RE: ${october.get(`[fb:2026-10/${person.answer}]`)}`,
      date: `Mon, 12 Oct 2026 10:${String(i).padStart(2, '0')}:00 +0000`,
      id: `dept-${i}`,
      body: '',
    }))
    await writeFile(join(root, 'october.mbox'), mbox(mails))
    // The staff list as Excel writes it: a BOM, semicolons, CRLF.
    const staff = ['email;name;department', ...people.filter((p) => p.department).map((p) => `${p.name}@example.com;${p.name};${p.department}`)].join('\r\n')
    await writeFile(join(root, 'staff.csv'), `\uFEFF${staff}\r\n`)
    const run = await runCli(root, ['feedback', 'import', 'october.mbox', '--recipients', 'staff.csv'], env)
    outputs.push(run.stdout, run.stderr)
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('Issue 13 (2026-10): 18 people answered: 12 found it useful; 0 comments (content/feedback/2026-10.yml written)')
    expect(run.stdout).toContain('  Department finance: 7 answered, 5 found it useful\n  Department sales: 6 answered, 2 found it useful\n')
    expect(run.stdout).not.toContain('operations')
    const counts = await readFile(join(root, 'content', 'feedback', '2026-10.yml'), 'utf8')
    expect(counts).toContain('departments:\n  - { id: finance, yes: 5, no: 2 }\n  - { id: sales, yes: 2, no: 4 }\n')
    expect(counts).not.toContain('operations')
  })

  it('refuses without the key, saying what to do, and names a file it cannot read', async () => {
    const missing = await runCli(root, ['feedback', 'import', 'replies.mbox'], { NEWSLETTER_FEEDBACK_KEY: '' })
    expect(missing.code).toBe(2)
    expect(missing.stdout).toBe('')
    expect(missing.stderr).toBe(
      'error: NEWSLETTER_FEEDBACK_KEY is not set: sender addresses are counted through a keyed hash, and the key is kept out of the project\n' +
        '  Create one once with `openssl rand -hex 32`, keep it where SMTP_URL is kept (never in the repository), and export NEWSLETTER_FEEDBACK_KEY=… before every import\n',
    )
    const other = await runCli(root, ['feedback', 'import', 'replies.mbox'], { NEWSLETTER_FEEDBACK_KEY: 'another-key-0123456789abcdef0123456789' })
    expect(other.code).toBe(2)
    expect(other.stderr).toContain('error: .newsletter/feedback/2026-11.json was counted with another NEWSLETTER_FEEDBACK_KEY\n')
    const unreadable = await runCli(root, ['feedback', 'import', 'replies.mbox', 'no-such.mbox'], env)
    expect(unreadable.code).toBe(1)
    expect(unreadable.stderr).toBe(
      'error: Cannot read no-such.mbox: no such file or folder\n  Give an mbox file, a folder of .eml files, or an .eml file your account can read\n',
    )
    outputs.push(missing.stdout, missing.stderr, other.stdout, other.stderr, unreadable.stdout, unreadable.stderr)
  })
})

describe('after the import', () => {
  let server: SiteServer
  let browser: Browser

  beforeAll(async () => {
    const built = await buildProject(root)
    if (!built.ok) throw new Error(built.messages.map((m) => m.message).join('\n'))
    server = await serveSite({ dir: join(root, 'dist', 'site'), base: '/it-news/', port: 0 })
    browser = await launchBrowser()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('no address from the mailbox is in any file under content/ or dist/, or in what the command printed', async () => {
    const files = async (dir: string) =>
      (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
    const everything = [...(await files(join(root, 'content'))), ...(await files(join(root, 'dist')))]
    const addresses = [...senders, 'dana.w@example.com', ...Array.from({ length: 7 }, (_, i) => `fin${i}@example.com`)]
    const found: string[] = []
    for (const file of everything) {
      const text = (await readFile(file)).toString('latin1').toLowerCase()
      for (const address of addresses) if (text.includes(address)) found.push(`${file}: ${address}`)
    }
    expect(everything.length).toBeGreaterThan(20)
    expect(found).toEqual([])
    for (const output of outputs) for (const address of addresses) expect(output.toLowerCase()).not.toContain(address)
  })

  it('shows the answers on the issue page and every issue on /feedback/, with no WCAG 2.1 AA violation in light or dark mode', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const path of ['issues/2026-11/', 'feedback/']) {
        const page = await browser.newPage({ colorScheme, viewport: { width: 375, height: 800 } })
        try {
          await page.goto(server.url + path)
          if (path === 'feedback/') {
            expect(await page.locator('svg[role="img"] title').textContent()).toBe('Share of answers that found each issue useful, oldest issue first')
            expect(await page.locator('svg[role="img"] desc').textContent()).toBe('Issue 13: 67% of 18 found it useful; Issue 14: 67% of 6 found it useful')
            expect(await page.locator('main table tbody tr').allTextContents()).toHaveLength(2)
            // The bars take the page's link colour: dark blue on white, light blue on the dark page.
            const fill = await page
              .locator('svg .bar')
              .first()
              .evaluate((bar) => getComputedStyle(bar).fill)
            expect(fill).toBe(colorScheme === 'dark' ? 'rgb(158, 197, 255)' : 'rgb(11, 79, 148)')
          } else {
            const box = page.locator('section[aria-labelledby="answers"]')
            expect(await box.locator('p').first().textContent()).toBe('6 people answered: 4 found it useful.')
            expect(await box.locator('li').allTextContents()).toEqual([
              'Windows 11 update: restart on Thursday: 1 person answered: 1 found it useful.',
              'Faster help on the phone: 1 person answered: 0 found it useful.',
            ])
          }
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
          await page.addScriptTag({ content: axeSource })
          const violations = await page.evaluate(async () => {
            const axe = (
              window as unknown as {
                axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> }
              }
            ).axe
            const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
            return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
          })
          expect(violations, `${path} ${colorScheme}`).toEqual([])
        } finally {
          await page.close()
        }
      }
    }
  }, 120_000)

  it('the buttons are at least 44 px tall in the email at 375 px', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } })
    try {
      await page.setContent(await readFile(join(root, 'dist', 'email', '2026-11.html'), 'utf8'))
      const buttons = await page.locator('a.button').evaluateAll((links) =>
        links.map((link) => {
          const box = link.getBoundingClientRect()
          return {
            text: link.textContent,
            height: box.height,
            width: box.width,
            right: box.right,
            token: /fb%3A[^%]+(?:%2F[^%]+)*%5D/.exec(link.getAttribute('href') ?? '')?.[0],
          }
        }),
      )
      expect(buttons).toHaveLength(8)
      expect(buttons.map((button) => button.text)).toEqual(Array.from({ length: 4 }, () => ['Yes, this helped', 'No']).flat())
      for (const button of buttons) {
        expect(button.height, button.token).toBeGreaterThanOrEqual(44)
        expect(button.width, button.token).toBeGreaterThanOrEqual(44)
        expect(button.right, button.token).toBeLessThanOrEqual(375)
      }
    } finally {
      await page.close()
    }
  }, 60_000)
})
