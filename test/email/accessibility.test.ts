// @module-tag browser
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../helpers/browser.ts'
import { renderEmail, repo } from '../helpers/render.ts'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface AxeResult {
  violations: { id: string; nodes: { target: string[] }[] }[]
}

describe('the email in a real browser', () => {
  let browser: Browser
  let html: string
  beforeAll(async () => {
    browser = await launchBrowser()
    html = (await renderEmail(readFileSync(join(repo, 'test/fixtures/email/issue-full/input.md'), 'utf8'))).html
  })
  afterAll(() => browser?.close())

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [600, 375]) {
      it(`has no WCAG 2.1 AA violations in ${colorScheme} mode at ${width} px`, async () => {
        const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme })
        await page.setContent(html)
        await page.addScriptTag({ content: axeSource })
        const result = (await page.evaluate(() =>
          (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } }).axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
          }),
        )) as AxeResult
        await page.close()
        expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
      })
    }
  }

  it('switches to its dark palette when the reader prefers dark', async () => {
    const page = await browser.newPage({ colorScheme: 'dark' })
    await page.setContent(html)
    const background = await page.evaluate(() => getComputedStyle(document.querySelector('.card') as Element).backgroundColor)
    await page.close()
    expect(background).toBe('rgb(27, 31, 36)')
  })

  it('fits a 375 px phone without sideways scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } })
    await page.setContent(html)
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    await page.close()
    expect(scrollWidth).toBeLessThanOrEqual(375)
  })
})
