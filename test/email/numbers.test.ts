import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IssueFigures } from '../../src/content/figures.ts'
import { parseDoc } from '../../src/content/load.ts'
import type { Issue } from '../../src/content/types.ts'
import { buildEmail, type EmailArtifact } from '../../src/email/build-email.ts'
import { loadLayouts } from '../../src/email/layout.ts'
import { renderParts } from '../../src/markdown/parts.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { inboxFacts, removeStyles } from '../helpers/inbox.ts'
import { repo, testSettings } from '../helpers/render.ts'

const issueText = (month: string, numbers: string[], category?: string) =>
  [
    '---',
    `title: "IT news for ${month}"`,
    `issue: ${Number(month.slice(5))}`,
    `date: ${month}-02`,
    'summary: "The month in figures."',
    ...(category ? ['top_question:', '  question: "How do I reset my password?"', '  answer: "Use the portal."', `  category: ${category}`] : []),
    'numbers:',
    ...numbers.map((line) => `  ${line}`),
    '---',
    '',
    '## Hello',
    '',
    'Text.',
    '',
  ].join('\n')

const parse = (text: string) => {
  const { doc, file } = parseDoc('input.md', text, 'issue')
  if (!doc) throw new Error(String(file.messages))
  return doc as Issue
}

// October's issue answered the password question; November's counts October; December's counts November.
const november = parse(
  issueText(
    '2026-11',
    [
      'period: 2026-10',
      'opened: 120',
      'resolved: 100',
      'first_response_median_hours: 2',
      'resolution_median_hours: 10',
      'top_categories:',
      '  - { name: Password resets, count: 120 }',
      'avoidable: { count: 30, share: 0.25 }',
    ],
    'Password resets',
  ),
)
const december = parse(
  issueText('2026-12', [
    'period: 2026-11',
    'opened: 105',
    'resolved: 110',
    'first_response_median_hours: 1.5',
    'resolution_median_hours: 10',
    'top_categories:',
    '  - { name: "Password resets", count: 84 }',
    '  - { name: "Printers & <scanners>", count: 21 }',
    'channels:',
    '  - { name: Portal, count: 70 }',
    '  - { name: Phone, count: 35 }',
    'avoidable: { count: 21, share: 0.2 }',
  ]),
)
const figures: IssueFigures[] = [{ issue: 11, slug: '2026-11', date: '2026-11-02', numbers: november.meta.numbers, answered: 'Password resets' }]
const settings = testSettings()

describe('IT by the numbers in the email', () => {
  let email: EmailArtifact
  let browser: Browser
  beforeAll(async () => {
    const layouts = await loadLayouts(join(repo, 'layouts/email'), repo)
    email = await buildEmail(renderParts(december, { locale: 'en-GB', figures }), settings, layouts)
    browser = await launchBrowser()
  })
  afterAll(() => browser?.close())

  it('says each figure and its change on the previous issue in words, and follows up last issue’s answer', () => {
    const text = email.html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ')
    expect(text).toContain('Tickets opened: 105, down 13% on October')
    expect(text).toContain('Tickets resolved: 110, up 10% on October')
    expect(text).toContain('Median first response: 1.5 hours, down 25% on October')
    expect(text).toContain('Median time to resolve: 10 hours, the same as October')
    expect(text).toContain('Password resets: 120 → 84, down 30%: tickets in November 2026 against the month before.')
    expect(text).toContain('21 calls (20% of tickets) were about things you can do yourself: down from 25% in Oct 2026.')
  })

  it('writes the same as aligned rows in the text part', () => {
    const start = email.text.indexOf('IT BY THE NUMBERS')
    expect(email.text.slice(start, email.text.indexOf('\n\nHOW TO REACH IT', start))).toBe(
      [
        'IT BY THE NUMBERS: NOVEMBER 2026',
        '--------------------------------',
        '',
        'Tickets opened:               105  down 13% on October',
        'Tickets resolved:             110  up 10% on October',
        'Median first response:  1.5 hours  down 25% on October',
        'Median time to resolve:  10 hours  the same as October',
        '',
        'What people asked about:',
        'Password resets        84  ################       80%',
        'Printers & <scanners>  21  ####                   20%',
        '',
        'How people asked: Portal 70 · Phone 35',
        '',
        "Did last issue's answer work? Password resets: 120 → 84, down 30%:",
        'tickets in November 2026 against the month before.',
        '',
        'Calls you could avoid: 21 calls (20% of tickets) were about things you',
        'can do yourself: down from 25% in Oct 2026.',
        'Share of tickets, last 2 issues: Oct 2026 25% · Nov 2026 20%',
      ].join('\n'),
    )
  })

  for (const mode of ['styled', 'no styles'] as const) {
    it(`draws the categories as a data table whose bars are as wide as their share at 375 px (${mode})`, { timeout: 60_000 }, async () => {
      const page = await browser.newPage({ viewport: { width: 375, height: 667 } })
      try {
        await page.setContent(email.html)
        if (mode === 'no styles') await removeStyles(page)
        expect(await inboxFacts(page)).toMatchObject({ scrollWidth: 375, wider: [], small: [] })
        const rows = await page.evaluate(() =>
          [...document.querySelectorAll('table.bars > tbody > tr')].map((row) => {
            const bar = row.querySelector('td.bar')!
            const track = bar.closest('table')!
            return {
              header: row.querySelector('th')!.getAttribute('scope'),
              name: row.querySelector('th')!.textContent!.trim(),
              count: row.querySelector('td')!.textContent!.trim(),
              share: row.querySelector('td.track + td')!.textContent!.trim(),
              width: Math.round((bar.getBoundingClientRect().width / track.getBoundingClientRect().width) * 100),
              colour: getComputedStyle(bar).backgroundColor,
            }
          }),
        )
        const colour = 'rgb(11, 92, 173)'
        expect(rows).toEqual([
          { header: 'row', name: 'Password resets', count: '84', share: '80%', width: expect.closeTo(80, 0) as number, colour },
          { header: 'row', name: 'Printers & <scanners>', count: '21', share: '20%', width: expect.closeTo(20, 0) as number, colour },
        ])
        expect(await page.locator('table.bars thead th[scope="col"]').allTextContents()).toEqual(['Category', 'Tickets', 'Share'])
      } finally {
        await page.close()
      }
    })
  }
})
