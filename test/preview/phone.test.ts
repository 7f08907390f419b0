// @module-tag browser
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PreviewServer } from '../../src/preview/server.ts'
import { openPreview, type PreviewRun } from '../helpers/preview.ts'

const summary = 'Printers & passwords: the second-floor printer moves to the kitchen on Thursday, and passwords get longer in January.'

const draft = `---
title: "December: printers and passwords"
issue: 15
date: 2026-12-01
status: draft
summary: "${summary}"
---

Hello {{name}}, here is what changed in December: https://intranet.example.com/it-news/a-very-long-address-that-does-not-break/anywhere

## Printers

The second-floor printer moves to the kitchen on 4 December.
`

const tabs = ['email', 'inbox', 'dark', 'text', 'archive', 'checks', 'source', 'reader']

let run: PreviewRun | undefined
let preview: PreviewServer
let page: Page

beforeAll(async () => {
  run = await openPreview((root) => writeFile(join(root, 'content/issues/2026-12.md'), draft))
  ;({ preview, page } = run)
  await page.setViewportSize({ width: 375, height: 667 })
  await mkdir('dist/screenshots', { recursive: true })
})

afterAll(async () => {
  await run?.close()
})

/** The page's full width, which is more than the window's when it scrolls sideways. */
const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth)

describe('the preview on a 375 px phone', () => {
  it('never scrolls sideways, on the list or on any tab', async () => {
    await page.goto(preview.url)
    await expect(pageWidth()).resolves.toBeLessThanOrEqual(375)
    for (const tab of tabs) {
      await page.goto(`${preview.url}issues/2026-12/#${tab}`)
      await page.locator(`#tab-${tab}.active`).waitFor()
      expect(await pageWidth(), `#${tab}`).toBeLessThanOrEqual(375)
    }
  })

  it('keeps the tabs on one row that scrolls sideways, the selected tab in view', async () => {
    await page.goto(`${preview.url}issues/2026-12/#reader`)
    const boxes = await page.locator('[data-tab]').evaluateAll((links) => links.map((link) => link.getBoundingClientRect().toJSON() as DOMRect))
    expect(boxes).toHaveLength(tabs.length)
    expect(new Set(boxes.map((box) => box.top)).size).toBe(1)
    await expect(page.locator('.tabs').evaluate((row) => row.scrollWidth > row.clientWidth)).resolves.toBe(true)
    const selected = (await page.locator('[data-tab="reader"]').boundingBox())!
    expect(selected.x).toBeGreaterThanOrEqual(0)
    expect(selected.x + selected.width).toBeLessThanOrEqual(375)
    await page.screenshot({ path: 'dist/screenshots/phone-tabs.png' })
  })

  it('scales the 600 px email down to the window, the email still laid out at 600 px inside', async () => {
    await page.goto(`${preview.url}issues/2026-12/`)
    await page.frameLocator('#desktop').getByText('The second-floor printer moves to the kitchen on 4 December.').waitFor()
    const desktop = (await page.locator('#desktop').boundingBox())!
    expect(desktop.x).toBeGreaterThanOrEqual(0)
    expect(desktop.x + desktop.width).toBeLessThanOrEqual(375)
    await expect(
      page
        .frameLocator('#desktop')
        .locator('html')
        .evaluate(() => innerWidth),
    ).resolves.toBe(600)
    await page.screenshot({ path: 'dist/screenshots/phone-email.png' })
  })

  it('counts the summary alone in the inbox tab, not the preheader filler after it', async () => {
    await page.goto(`${preview.url}issues/2026-12/#inbox`)
    await expect(page.locator('#inbox-summary-length').textContent()).resolves.toBe(String(summary.length))
    // The filler is really there, after the summary, and is what the count leaves out.
    const full = (await page.locator('#inbox-full').textContent())!
    expect(full.slice(0, summary.length)).toBe(summary)
    expect(full.slice(summary.length)).toMatch(/^[\u034f\u200c\u00a0 ]{200,}\S/)
    await page.screenshot({ path: 'dist/screenshots/phone-inbox.png', fullPage: true })
  })
})
