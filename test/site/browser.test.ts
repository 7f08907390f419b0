// @module-tag browser
import { mkdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveSite, type SiteServer } from '../../src/site/serve.ts'
import { auditAccessibility, launchBrowser } from '../helpers/browser.ts'
import { tableFacts } from '../helpers/layout.ts'
import { buildFixtureSite, type BuiltSite } from './fixture.ts'

const screenshots = join(import.meta.dirname, '..', '..', 'dist', 'screenshots')

let site: BuiltSite
let server: SiteServer
let browser: Browser

beforeAll(async () => {
  site = await buildFixtureSite({ drafts: false })
  // Served by `newsletter serve`'s own server, as a reader's browser would see it.
  server = await serveSite({ dir: site.dir, base: '/it-news/', port: 0 })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await rm(site.root, { recursive: true, force: true })
})

const searchTimeout = 120_000
const audited = ['', 'issues/2026-10/', 'threats/', 'faq/', 'patches/', 'search/', 'notices/2026-10-14-vpn-outage/', 'status/', 'projects/', 'priorities/']

describe('archive site in Chromium', () => {
  it.each(audited.flatMap((path) => (['light', 'dark'] as const).map((scheme) => [path, scheme] as const)))(
    'has no WCAG 2.1 AA violations on /%s in %s mode',
    async (path, colorScheme) => {
      const page = await browser.newPage({ colorScheme })
      try {
        await page.goto(server.url + path)
        if (path === 'search/') await page.waitForSelector('.pagefind-ui__search-input')
        const audit = await auditAccessibility(page)
        expect(audit.violations).toEqual([])
        // axe really ran its checks on this page (colour contrast, names, landmarks…)
        expect(audit.passes).toBeGreaterThan(10)
      } finally {
        await page.close()
      }
    },
    // The search page loads Pagefind's script and WebAssembly: beside another Chromium file on 2 cores, over 30 s.
    searchTimeout,
  )

  const sizes = [375, 600, 1280].flatMap((width) => (['light', 'dark'] as const).map((scheme) => [width, scheme] as const))
  it.each(sizes)('is readable at %i px wide in %s mode (screenshots in dist/screenshots)', async (width, colorScheme) => {
    await mkdir(screenshots, { recursive: true })
    for (const path of ['', 'issues/2026-10/', 'issues/2026-11/', 'patches/', 'notices/2026-10-14-vpn-outage/', 'incidents/', 'threats/', 'projects/']) {
      const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme })
      try {
        await page.goto(server.url + path)
        // Nothing sticks out sideways, and every table cell is on screen: on phones the rows become cards.
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(width)
        const facts = await tableFacts(page, 'main table', '.prose table')
        expect(facts.wider, path).toEqual([])
        expect(facts.outside, path).toEqual([])
        expect(facts.narrow, path).toEqual([])
        expect(facts.unpadded, path).toEqual([])
        expect(facts.split, path).toEqual([])
        if (path.startsWith('issues/') || path === 'patches/') expect(facts.stacked, path).toBe(width < 768)
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
        expect(background, path).toBe(colorScheme === 'dark' ? 'rgb(15, 17, 21)' : 'rgb(255, 255, 255)')
        const file = join(screenshots, `site-${path.replace(/\W+/g, '-').replace(/-$/, '') || 'home'}-${width}-${colorScheme}.png`)
        await page.screenshot({ path: file, fullPage: true })
        expect((await stat(file)).size).toBeGreaterThan(10_000)
      } finally {
        await page.close()
      }
    }
  })

  it.each([1024, 1280])('keeps the navigation on one line at %i px', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 800 } })
    try {
      await page.goto(server.url)
      const tops = await page.$$eval('header nav li', (items) => items.map((item) => Math.round(item.getBoundingClientRect().top)))
      expect(tops).toHaveLength(10)
      expect(new Set(tops).size).toBe(1)
      // …on its own line under the site name (ten sections no longer fit beside it), and nothing wider than the screen.
      const [home, nav] = await page.$$eval('header .home, header nav', (elements) => elements.map((element) => element.getBoundingClientRect()))
      expect(nav!.top).toBeGreaterThanOrEqual(home!.bottom)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width)
    } finally {
      await page.close()
    }
  })

  it('leads the home page with the latest issue, once, and no site-name heading', async () => {
    const page = await browser.newPage()
    try {
      await page.goto(server.url)
      expect(await page.locator('main h1').allInnerTexts()).toEqual(['November: Windows restarts and QR-code phishing'])
      expect(await page.locator('main a[href="/it-news/issues/2026-11/"]').count()).toBe(2)
      expect(await page.locator('main .list a[href="/it-news/issues/2026-11/"]').count()).toBe(0)
    } finally {
      await page.close()
    }
  })

  it('reads every page with JavaScript off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      await page.goto(`${server.url}issues/2026-08/`)
      expect(await page.locator('main h1').innerText()).toBe('August: printers on the second floor')
      expect(await page.locator('main').innerText()).toContain('Heliograph')
    } finally {
      await context.close()
    }
  })

  it('finds a word that appears only in one issue body with Pagefind', { timeout: searchTimeout }, async () => {
    const page = await browser.newPage()
    try {
      await page.goto(`${server.url}search/`)
      await page.locator('.pagefind-ui__search-input').fill('heliograph')
      const results = page.locator('.pagefind-ui__result')
      await results.first().waitFor()
      expect(await results.count()).toBe(1)
      // The result and its sub-result (the section the word is in) both lead to the issue, under the base path.
      const hrefs = await results
        .first()
        .locator('a')
        .evaluateAll((links) => links.map((link) => link.getAttribute('href')))
      expect(hrefs[0]).toBe('/it-news/issues/2026-08/')
      expect(hrefs.every((href) => href?.startsWith('/it-news/issues/2026-08/'))).toBe(true)
    } finally {
      await page.close()
    }
  })

  it('serves a feed that parses as Atom XML with one entry per published issue and per notice revision', async () => {
    const page = await browser.newPage()
    try {
      const feed = await (await fetch(`${server.url}feed.xml`)).text()
      await page.goto(`${server.url}`)
      const parsed = await page.evaluate((xml) => {
        const doc = new DOMParser().parseFromString(xml, 'application/xml')
        return {
          error: doc.querySelector('parsererror')?.textContent ?? null,
          root: doc.documentElement.namespaceURI,
          entries: [...doc.getElementsByTagName('entry')].map((entry) => entry.getElementsByTagName('link')[0]?.getAttribute('href')),
        }
      }, feed)
      expect(parsed.error).toBeNull()
      expect(parsed.root).toBe('http://www.w3.org/2005/Atom')
      const published = site.pipeline.rendered.filter((doc) => doc.status !== 'draft')
      const expected = published.flatMap((doc) => {
        const page = `https://intranet.example.com/it-news/${doc.kind}s/${doc.slug}/`
        const updates = doc.notice?.updates ?? []
        return updates.length > 0 ? updates.map((update) => `${page}#update-${update.revision}`) : [page]
      })
      expect(parsed.entries.sort()).toEqual(expected.sort())
    } finally {
      await page.close()
    }
  })
})
