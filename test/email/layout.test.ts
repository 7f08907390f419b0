// @module-tag browser
import { readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildEmail } from '../../src/email/build-email.ts'
import { loadLayouts } from '../../src/email/layout.ts'
import { parseDoc } from '../../src/content/load.ts'
import { renderParts } from '../../src/markdown/parts.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { tableFacts } from '../helpers/layout.ts'
import { renderEmail, repo, testSettings } from '../helpers/render.ts'

const screenshots = join(repo, 'dist', 'screenshots')
const input = readFileSync(join(repo, 'test/fixtures/email/issue-full/input.md'), 'utf8')
const tables = 'table.data, .prose table'

describe('the email on every screen', () => {
  let browser: Browser
  let html: string
  beforeAll(async () => {
    browser = await launchBrowser()
    html = (await renderEmail(input)).html
    await mkdir(screenshots, { recursive: true })
  })
  afterAll(() => browser?.close())

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [375, 600, 1280]) {
      it(`keeps every table readable at ${width} px in ${colorScheme} mode (screenshot in dist/screenshots)`, async () => {
        const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme })
        try {
          await page.setContent(html)
          const facts = await tableFacts(page, tables, '.prose table')
          expect(facts.wider).toEqual([])
          expect(facts.outside).toEqual([])
          expect(facts.narrow).toEqual([])
          expect(facts.unpadded).toEqual([])
          // No column is squeezed narrower than a word ("Decembe / r").
          expect(facts.split).toEqual([])
          // Phones get cards; anything wider than the 480 px breakpoint keeps real tables.
          expect(facts.stacked).toBe(width < 480)
          await page.screenshot({ path: join(screenshots, `email-issue-full-${width}-${colorScheme}.png`), fullPage: true })
        } finally {
          await page.close()
        }
      })
    }
  }

  it('shows each patch on a phone as a card: the severity and title, then the date and restart on one line', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 900 } })
    try {
      await page.setContent(html)
      const cards = await page.$$eval('table.data tr.row', (rows) =>
        rows
          .filter((row) => row.querySelector('td.fact'))
          .map((row) => ({
            text: (row as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
            // Lines of facts: the fact cells' text, measured line by line.
            lines: new Set(
              [...row.querySelectorAll(':scope > td.fact')].flatMap((cell) => {
                const range = document.createRange()
                range.selectNodeContents(cell)
                return [...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top))
              }),
            ).size,
          })),
      )
      expect(cards[0]).toEqual({ text: 'Critical Windows 11 November cumulative update Windows 11 · KB5046617 12 Nov 2026 · Restart: Yes', lines: 1 })
      expect(cards[1]!.text).toContain('Important Microsoft 365 Apps update')
      expect(cards[1]!.text).toMatch(/12–14 Nov 2026 · Restart: No$/)
      expect(cards.every((card) => card.lines === 1)).toBe(true)
      expect(await page.locator('table.data tr.head').first().isVisible()).toBe(false)
      // Body tables: each row a card whose values carry their column's name.
      expect(await page.locator('.prose table tbody tr').first().innerText()).toMatch(
        /^17 November\s+Topic: Spotting a phishing email\s+Where: Leeds depot, training room$/,
      )
    } finally {
      await page.close()
    }
  })

  it('paints the whole window dark, gutters included, when the reader prefers dark', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' })
    try {
      await page.setContent(html)
      const backgrounds = await page.evaluate(() =>
        [document.body, document.querySelector('[role="article"]')!].map((element) => getComputedStyle(element).backgroundColor),
      )
      expect(backgrounds).toEqual(['rgb(15, 17, 21)', 'rgb(15, 17, 21)'])
    } finally {
      await page.close()
    }
  })
})

describe('the email in the inbox', () => {
  it('pads the preheader after the summary so the snippet stops there, and asks clients not to reformat', async () => {
    const { html } = await renderEmail(input)
    const preheader = /<div style="display:none[^>]*>([^<]*)<\/div>/.exec(html)![1]!
    expect(preheader).toMatch(/^This month&#39;s Windows update[^&]*most\.(&#847;&zwnj;&nbsp;){90}$/)
    expect(html).toContain('<meta name="x-apple-disable-message-reformatting">')
    expect(html).toContain('<meta name="format-detection" content="telephone=no, date=no, address=no, email=no, url=no">')
  })

  it('links to the browser view above the header as well as in the footer', async () => {
    const { html } = await renderEmail(input)
    const links = [...html.matchAll(/href="https:\/\/intranet\.example\.com\/news\/?email\/input\/"/g)].map((match) => match.index)
    expect(links).toHaveLength(2)
    expect(links[0]).toBeLessThan(html.indexOf('Testco IT</strong>'))
  })

  it('gives the logo pixel dimensions and an empty alt, since the name is printed beside it', async () => {
    const settings = { ...testSettings(), brand: { colour: '#0b5cad', logo: 'https://intranet.example.com/logo.png' } }
    const { doc } = parseDoc('input.md', input, 'issue')
    const { html } = await buildEmail(renderParts(doc!), settings, await loadLayouts(join(repo, 'layouts/email'), repo))
    expect(html).toMatch(/<img alt(="")? src="https:\/\/intranet\.example\.com\/logo\.png"[^>]*width="140" height="40"/)
  })

  it('writes finished projects without an expected date', async () => {
    const { html, text } = await renderEmail(input)
    expect(text).toContain('- Printer fleet replacement: Done\n')
    expect(html).not.toMatch(/Printer fleet replacement[\s\S]{0,400}Oct 2026/)
  })
})
