// @module-tag browser
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PreviewServer } from '../../src/preview/server.ts'
import { openPreview, type PreviewRun } from '../helpers/preview.ts'

const draft = (summary: string) => `---
title: "December: printers and passwords"
issue: 15
date: 2026-12-01
status: draft
summary: "${summary}"
---

Hello {{name}}, here is what changed in December.

## Printers

The second-floor printer moves to the kitchen on 4 December.
`

const long =
  'The second-floor printer moves to the kitchen on Thursday, passwords must be fifteen characters from January, and the helpdesk closes early on the 24th for the staff party.'

let run: PreviewRun | undefined
let preview: PreviewServer
let page: Page

beforeAll(async () => {
  run = await openPreview(async (root) => {
    await writeFile(join(root, 'content/issues/2026-12.md'), draft(long))
    await writeFile(join(root, 'content/issues/2026-13.md'), draft('Printers move.').replace('issue: 15', 'issue: 16').replace('2026-12-01', '2027-01-05'))
  })
  ;({ preview, page } = run)
  await mkdir('dist/screenshots', { recursive: true })
})

afterAll(async () => {
  await run?.close()
})

describe('the inbox tab', () => {
  it('cuts a long summary where each inbox cuts it, with nothing after it', async () => {
    await page.goto(`${preview.url}issues/2026-12/#inbox`)
    const gmail = page.locator('#inbox-gmail-web')
    await expect(gmail.locator('.from').textContent()).resolves.toBe('Brightwater IT')
    await expect(gmail.locator('.subject').textContent()).resolves.toBe('December: printers and passwords')
    await expect(gmail.locator('.snippet').textContent()).resolves.toBe(`${long.slice(0, 140)}…`)
    await expect(page.locator('#inbox-phone .snippet').textContent()).resolves.toBe(`${long.slice(0, 90)}…`)
    await expect(page.locator('#tab-inbox .after').count()).resolves.toBe(1)
    await page.screenshot({ path: 'dist/screenshots/inbox-long.png', fullPage: true })
  })

  it('shows that the preheader filler stops a short summary running on into the body', async () => {
    await page.goto(`${preview.url}issues/2026-13/#inbox`)
    const snippet = await page.locator('#inbox-gmail-web .snippet').textContent()
    expect(snippet).toMatch(/^Printers move\.[\u034f\u200c\u00a0 ]+…?$/)
    expect(await page.locator('#inbox-gmail-web .snippet .after').count()).toBe(0)
    await expect(page.locator('#inbox-full').textContent()).resolves.toContain('Hello Sam Sample, here is what changed in December.')
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: 'dist/screenshots/inbox-short-phone.png', fullPage: true })
    await page.setViewportSize({ width: 1280, height: 900 })
  })
})

describe('the source and no-style views', () => {
  it('shows the compiled HTML and the filled MJML with line numbers, and the size', async () => {
    await page.goto(`${preview.url}issues/2026-13/#source`)
    const html = await (await fetch(`${preview.url}issues/2026-13/email.html`)).text()
    const lines = page.locator('#source-html .line')
    await expect(lines.count()).resolves.toBe(html.replace(/\n$/, '').split('\n').length)
    await expect(lines.first().textContent()).resolves.toBe(html.split('\n')[0])
    await expect(lines.first().evaluate((line) => getComputedStyle(line, '::before').content)).resolves.toBe('counter(line)')
    await expect(page.locator('#tab-source').textContent()).resolves.toMatch(/\d+\.\d KB of the 102 KB Gmail budget/)
    await page.locator('#tab-source summary', { hasText: 'Filled MJML' }).click()
    const mjml = await page.locator('#source-mjml').textContent()
    expect(mjml).toContain('<mj-preview>Printers move.&#847;&zwnj;&nbsp;')
    expect(mjml).toContain('The second-floor printer moves to the kitchen on 4 December.')
    await page.screenshot({ path: 'dist/screenshots/source.png' })
  })

  it('shows the email with every <style> block removed beside the dark views', async () => {
    await page.goto(`${preview.url}issues/2026-13/#dark`)
    const unstyled = page.frameLocator('#unstyled')
    await unstyled.getByText('The second-floor printer moves').waitFor()
    await expect(unstyled.locator('style').count()).resolves.toBe(0)
    await expect(page.frameLocator('#dark-frame').locator('style').count()).resolves.toBeGreaterThan(0)
    // head.mjml's h2 rule is inlined (mj-style inline), so it survives, as it does in those clients.
    await expect(
      unstyled
        .locator('h2')
        .first()
        .evaluate((h2) => getComputedStyle(h2).fontSize),
    ).resolves.toBe('20px')
    await page.screenshot({ path: 'dist/screenshots/dark-unstyled.png' })
  })
})

describe('the email frames', () => {
  it('are as tall as their email, side by side from 900 px, and the page has a favicon', async () => {
    const missing: string[] = []
    page.on('response', (response) => void (response.status() >= 400 && missing.push(`${response.status()} ${response.url()}`)))
    await page.setViewportSize({ width: 900, height: 900 })
    await page.goto(`${preview.url}issues/2026-13/`)
    await page.frameLocator('#phone').getByText('The second-floor printer moves').waitFor()
    const desktop = (await page.locator('#desktop').boundingBox())!
    const phone = (await page.locator('#phone').boundingBox())!
    expect(phone.y).toBe(desktop.y)
    expect(phone.x).toBeGreaterThan(desktop.x + desktop.width)
    expect(phone.x + phone.width).toBeLessThanOrEqual(900)
    // Scaled down to fit, each frame still lays its email out at its own width, and nothing scrolls inside it.
    for (const [id, width] of [
      ['desktop', 600],
      ['phone', 375],
    ] as const) {
      const inner = page.frameLocator(`#${id}`).locator('html')
      await expect(inner.evaluate(() => innerWidth)).resolves.toBe(width)
      await expect(inner.evaluate((html) => html.scrollHeight - innerHeight)).resolves.toBeLessThanOrEqual(0)
    }
    expect(desktop.height).not.toBe(800)
    await page.screenshot({ path: 'dist/screenshots/frames-900.png', fullPage: true })
    await page.setViewportSize({ width: 600, height: 900 })
    await expect(page.locator('#phone').evaluate((frame) => frame.getBoundingClientRect().top)).resolves.toBeGreaterThan(desktop.y + desktop.height / 2)
    await page.setViewportSize({ width: 1280, height: 900 })
    const icon = await fetch(`${preview.url}favicon.ico`)
    expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/svg+xml; charset=utf-8'])
    expect(missing).toEqual([])
  })
})
