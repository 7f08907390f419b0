// @module-tag browser
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseDoc } from '../../src/content/load.ts'
import { buildEmail } from '../../src/email/build-email.ts'
import { loadLayouts } from '../../src/email/layout.ts'
import { renderParts } from '../../src/markdown/parts.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { inboxFacts, removeStyles } from '../helpers/inbox.ts'
import { repo, testSettings } from '../helpers/render.ts'

// Screenshots to look at: every sample at every width, light, dark and with no styles.
const shots = '/tmp/inbox-shots'
const fixtures = join(repo, 'test/fixtures/email')
const samples = ['issue-full', 'issue-minimal', 'notice-ongoing', 'notice-resolved', 'notice-maintenance']
// A helpdesk phone and a dark logo, so the footer's tel: link and the logo swap are laid out too.
const settings = {
  ...testSettings(),
  brand: { colour: '#0b5cad', logo: 'https://intranet.example.com/logo.png', logo_dark: 'https://intranet.example.com/logo-dark.png' },
  contact: { email: 'helpdesk@example.com', portal: 'https://help.example.com/', phone: '+44 (0)113 496 0000', hours: 'Monday to Friday, 8:00 to 18:00' },
}

async function emailOf(name: string): Promise<string> {
  const { doc, file } = parseDoc('input.md', await readFile(join(fixtures, name, 'input.md'), 'utf8'), name.startsWith('notice') ? 'notice' : 'issue')
  if (!doc) throw new Error(String(file.messages))
  return (await buildEmail(renderParts(doc, { locale: 'en-GB' }), settings, await loadLayouts(join(repo, 'layouts/email'), repo))).html
}

const modes = ['light', 'dark', 'no styles'] as const

describe('the email in every inbox', () => {
  let browser: Browser
  const html: Record<string, string> = {}
  beforeAll(async () => {
    browser = await launchBrowser()
    for (const name of samples) html[name] = await emailOf(name)
    await mkdir(shots, { recursive: true })
  })
  afterAll(() => browser?.close())

  async function open(name: string, width: number, mode: (typeof modes)[number], height = 667): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme: mode === 'dark' ? 'dark' : 'light' })
    await page.setContent(html[name]!)
    if (mode === 'no styles') await removeStyles(page)
    return page
  }

  for (const name of samples) {
    for (const mode of modes) {
      it(`${name}, ${mode}: fits 320–800 px, no text under 14 px, every tap target 44 px`, { timeout: 120_000 }, async () => {
        for (const width of [320, 375, 600, 800]) {
          const page = await open(name, width, mode)
          try {
            const facts = await inboxFacts(page)
            expect({ width, ...facts }).toEqual({ width, scrollWidth: width, wider: [], small: [], smallTargets: [] })
            await page.screenshot({ path: join(shots, `${name}-${width}-${mode.replace(' ', '-')}.png`), fullPage: true })
          } finally {
            await page.close()
          }
        }
      })
    }
  }

  it('puts the lead story above the patches, and keeps the header date on one line', async () => {
    const page = await open('issue-full', 375, 'light')
    try {
      const top = (text: string) =>
        page
          .locator('h2', { hasText: text })
          .first()
          .evaluate((element) => element.getBoundingClientRect().top)
      expect(await top('Windows 11 update: restart on Thursday')).toBeLessThan(await top('Patches and restarts'))
      const dateLines = await page.evaluate(() => {
        const walker = document.createTreeWalker(document.querySelector('.brand')!, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent!.indexOf('3\u00a0November\u00a02026')
          if (at < 0) continue
          const range = document.createRange()
          range.setStart(node, at)
          range.setEnd(node, at + '3 November 2026'.length)
          return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size
        }
        return 0
      })
      expect(dateLines).toBe(1)
    } finally {
      await page.close()
    }
  })

  it("shows an open incident's expected-back and next-update in the first screen of a 375 × 667 phone", async () => {
    const page = await open('notice-ongoing', 375, 'light')
    try {
      for (const label of ['Expected back:', 'Next update:']) {
        const box = await page.locator('p', { hasText: label }).first().boundingBox()
        expect(box!.y + box!.height).toBeLessThanOrEqual(667)
      }
    } finally {
      await page.close()
    }
  })

  it('dims the rules between cards and swaps in the dark logo when the reader prefers dark', async () => {
    const page = await open('issue-full', 375, 'dark')
    try {
      const rules = await page.$$eval('table.data tr.row', (rows) => [...new Set(rows.map((row) => getComputedStyle(row).borderBottomColor))])
      expect(rules.filter((colour) => colour !== 'rgb(58, 64, 74)' && colour !== 'rgb(31, 35, 40)')).toEqual([])
      expect(await page.locator('.logo-dark img').isVisible()).toBe(true)
      expect(await page.locator('.logo-light img').isVisible()).toBe(false)
    } finally {
      await page.close()
    }
  })

  it('asks for feedback with two labelled buttons and links the helpdesk phone', async () => {
    const page = await open('notice-ongoing', 375, 'light')
    try {
      expect(await page.locator('a.button').allInnerTexts()).toEqual(['Yes, this helped', 'No'])
      expect(await page.locator('a[href^="tel:"]').getAttribute('href')).toBe('tel:+441134960000')
    } finally {
      await page.close()
    }
  })
})
