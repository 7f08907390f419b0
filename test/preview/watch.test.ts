import { cp, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startPreview, type PreviewServer } from '../../src/preview/server.ts'
import { launchBrowser } from '../helpers/browser.ts'

const draft = (line: string) => `---
title: "December draft"
issue: 15
date: 2026-12-01
status: draft
summary: "Printers move, and passwords get longer."
---

${line}
`

let root: string
let preview: PreviewServer
let browser: Browser
let page: Page

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsletter-watch-'))
  await cp('content', join(root, 'content'), { recursive: true })
  await cp('layouts', join(root, 'layouts'), { recursive: true })
  await writeFile(join(root, 'content/issues/2026-12.md'), draft('Save number none.'))
  preview = await startPreview({ root, port: 0 })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
})

afterAll(async () => {
  await browser?.close()
  await preview?.close()
  await rm(root, { recursive: true, force: true })
})

/** Save as editors do: in place (truncate and write), or by writing a temporary file and renaming it over the old one. */
async function save(path: string, text: string, byRename: boolean): Promise<void> {
  if (!byRename) return writeFile(path, text)
  await writeFile(`${path}.swp`, text)
  await rename(`${path}.swp`, path)
}

describe('the preview follows every save', () => {
  it('shows each of ten saves within 500 ms, alternating in-place writes and renames', async () => {
    const path = join(root, 'content/issues/2026-12.md')
    // The page reports, with the browser's clock, each text its desktop frame loads: Playwright's own polling
    // backs off to 100s of ms and would measure itself rather than the preview.
    const shown: { text: string; at: number }[] = []
    await page.exposeFunction('reportShown', (text: string, at: number) => void shown.push({ text, at }))
    // Emails run no script (sandboxed frames), so the preview page reports its desktop frame's loads. Load events
    // of elements reach the document but not the window.
    await page.addInitScript(() => {
      if (window !== window.top) return
      document.addEventListener('load', (event) => {
        const frame = event.target as HTMLIFrameElement
        if (frame.id === 'desktop') (window as unknown as { reportShown(text: string, at: number): void }).reportShown(frame.contentDocument?.body?.textContent ?? '', Date.now())
      }, true)
    })
    await page.goto(`${preview.url}issues/2026-12/`)
    await page.frameLocator('#desktop').getByText('Save number none.').waitFor()
    const took: number[] = []
    for (let i = 1; i <= 10; i++) {
      const started = Date.now()
      await save(path, draft(`Save number ${i}.`), i % 2 === 0)
      await page.frameLocator('#desktop').getByText(`Save number ${i}.`).waitFor({ timeout: 5000 })
      await vi.waitFor(() => expect(shown.some((entry) => entry.text.includes(`Save number ${i}.`))).toBe(true))
      took.push(shown.find((entry) => entry.text.includes(`Save number ${i}.`))!.at - started)
    }
    console.log(`save → visible (ms), in place / renamed alternately: ${took.join(', ')}`)
    expect(took.filter((ms) => ms > 500)).toEqual([])
  })

  it('follows a file deleted and recreated, and a file added while running', async () => {
    const path = join(root, 'content/issues/2026-12.md')
    await page.goto(preview.url)
    await page.getByRole('link', { name: 'December draft' }).waitFor()
    await unlink(path)
    await page.getByRole('link', { name: 'December draft' }).waitFor({ state: 'detached' })
    await writeFile(path, draft('Back again.').replace('December draft', 'December draft, recreated'))
    await page.getByRole('link', { name: 'December draft, recreated' }).waitFor()
    await writeFile(join(root, 'content/notices/2026-12-02-wifi.md'), '---\ntitle: Wi-Fi is slow\ndate: 2026-12-02\nsummary: Slow.\nservice: Wi-Fi\nstate: identified\nimpact: Slow.\n---\n')
    await page.getByRole('link', { name: 'Wi-Fi is slow' }).click()
    await page.frameLocator('#desktop').getByText('Wi-Fi is slow').first().waitFor()
    await save(path, draft('Renamed into place after being recreated.'), true)
    await page.goto(`${preview.url}issues/2026-12/`)
    await page.frameLocator('#desktop').getByText('Renamed into place after being recreated.').waitFor()
  })
})
