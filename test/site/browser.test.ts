import { mkdir, readFile, rm, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../helpers/browser.ts'
import { serveStatic, type StaticSite } from '../helpers/static-server.ts'
import { buildFixtureSite, type BuiltSite } from './fixture.ts'

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const screenshots = join(import.meta.dirname, '..', '..', 'dist', 'screenshots')

let site: BuiltSite
let server: StaticSite
let browser: Browser

beforeAll(async () => {
  site = await buildFixtureSite({ drafts: false })
  server = await serveStatic(site.dir, '/it-news/')
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await rm(site.root, { recursive: true, force: true })
})

const audited = ['', 'issues/2026-10/', 'threats/', 'faq/', 'patches/', 'search/', 'notices/2026-10-14-vpn-outage/']

describe('archive site in Chromium', () => {
  it.each(audited)('has no WCAG 2.1 AA violations on /%s', async (path) => {
    const page = await browser.newPage()
    try {
      await page.goto(server.url + path)
      if (path === 'search/') await page.waitForSelector('.pagefind-ui__search-input')
      await page.addScriptTag({ content: axeSource })
      const audit = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ passes: unknown[]; violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe
        const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
        return { passes: result.passes.length, violations: result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`) }
      })
      expect(audit.violations).toEqual([])
      // axe really ran its checks on this page (colour contrast, names, landmarks…)
      expect(audit.passes).toBeGreaterThan(10)
    } finally {
      await page.close()
    }
  })

  it.each([375, 1280])('is readable at %i px wide (screenshots in dist/screenshots)', async (width) => {
    await mkdir(screenshots, { recursive: true })
    for (const path of ['', 'issues/2026-10/', 'patches/']) {
      const page = await browser.newPage({ viewport: { width, height: 800 } })
      try {
        await page.goto(server.url + path)
        // Nothing may stick out sideways: text wraps, wide tables scroll inside their own box.
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(width)
        const file = join(screenshots, `${path.replace(/\W+/g, '-') || 'home'}-${width}.png`.replace('--', '-'))
        await page.screenshot({ path: file, fullPage: true })
        expect((await stat(file)).size).toBeGreaterThan(10_000)
      } finally {
        await page.close()
      }
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

  it('finds a word that appears only in one issue body with Pagefind', async () => {
    const page = await browser.newPage()
    try {
      await page.goto(`${server.url}search/`)
      await page.locator('.pagefind-ui__search-input').fill('heliograph')
      const results = page.locator('.pagefind-ui__result')
      await results.first().waitFor()
      expect(await results.count()).toBe(1)
      // The result and its sub-result (the section the word is in) both lead to the issue, under the base path.
      const hrefs = await results.first().locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))
      expect(hrefs[0]).toBe('/it-news/issues/2026-08/')
      expect(hrefs.every((href) => href?.startsWith('/it-news/issues/2026-08/'))).toBe(true)
    } finally {
      await page.close()
    }
  })

  it('serves a feed that parses as Atom XML with one entry per published issue and notice', async () => {
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
      expect(parsed.entries).toHaveLength(published.length)
      for (const doc of published) expect(parsed.entries).toContain(`https://intranet.example.com/it-news/${doc.kind}s/${doc.slug}/`)
    } finally {
      await page.close()
    }
  })
})
