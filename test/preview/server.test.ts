// @module-tag browser
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PreviewServer } from '../../src/preview/server.ts'
import { openPreview, type PreviewRun } from '../helpers/preview.ts'

const draft = (summary: string, title = 'December draft: printers and passwords') => `---
title: "${title}"
issue: 15
date: 2026-12-01
status: draft
summary: "${summary}"
---

Hello {{name}}, here is what changed in December.

## Printers

The second-floor printer moves to the kitchen on 4 December.
`

let run: PreviewRun | undefined
let root: string
let preview: PreviewServer
let page: Page
let draftPath: string

beforeAll(async () => {
  run = await openPreview((root) => writeFile(join(root, 'content/issues/2026-12.md'), draft('Printers move, and passwords get longer.')))
  ;({ root, preview, page } = run)
  draftPath = join(root, 'content/issues/2026-12.md')
})

afterAll(async () => {
  await run?.close()
})

describe('newsletter preview in Chromium', () => {
  it('lists every document with drafts marked, and shows a draft as email and plain text', async () => {
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    await page.goto(preview.url)
    const row = page.locator('tr', { hasText: 'December draft' })
    await expect(row.locator('.badge').textContent()).resolves.toBe('Draft')
    await expect(page.locator('tbody tr').count()).resolves.toBe(5)
    await row.locator('a').click()
    await page.waitForURL(`${preview.url}issues/2026-12/`)
    const desktop = page.frameLocator('#desktop')
    await desktop.getByText('The second-floor printer moves to the kitchen').waitFor()
    await expect(page.locator('#desktop').getAttribute('width')).resolves.toBe('600')
    await expect(page.locator('#phone').getAttribute('width')).resolves.toBe('375')
    await page.getByRole('tab', { name: 'Plain text' }).click()
    await expect(page.locator('#text-part').textContent()).resolves.toContain('Printers move, and passwords get longer.')
    await expect(page.locator('#text-part').isVisible()).resolves.toBe(true)
  })

  it('renders the email\u2019s own dark styles, a forced inversion, and a sample reader\u2019s copy', async () => {
    await page.getByRole('tab', { name: 'Dark mode' }).click()
    const dark = page.frameLocator('#dark-frame')
    await dark.getByText('The second-floor printer').waitFor()
    // head.mjml: @media (prefers-color-scheme: dark) { body { background-color: #0f1115 } }
    await expect(dark.locator('body').evaluate((body) => getComputedStyle(body).backgroundColor)).resolves.toBe('rgb(15, 17, 21)')
    await expect(page.locator('#inverted').evaluate((frame) => getComputedStyle(frame).filter)).resolves.toBe('invert(1) hue-rotate(180deg)')
    await page.getByRole('tab', { name: 'Sample reader' }).click()
    await page.frameLocator('#reader-frame').getByText('Hello Sam Sample, here is what changed').waitFor()
    await expect(page.frameLocator('#desktop').getByText('Hello {{name}}, here is what changed').count()).resolves.toBe(1)
  })

  it('shows the draft’s archive page', async () => {
    await page.getByRole('tab', { name: 'Archive page' }).click()
    const archive = page.frameLocator('#archive-frame')
    await expect(archive.locator('h1').textContent()).resolves.toBe('December draft: printers and passwords')
    await archive.getByText('The second-floor printer moves to the kitchen').waitFor()
  })

  it('shows the checks and the size against the Gmail budget', async () => {
    await page.getByRole('tab', { name: 'Checks' }).click()
    await expect(page.locator('#tab-checks').textContent()).resolves.toMatch(/\d+\.\d KB of the 102 KB Gmail budget \(\d+%\)/)
  })

  it('reloads by itself when the file is saved, shows a YAML error with its line, and recovers', async () => {
    await page.getByRole('tab', { name: 'Email' }).click()
    await writeFile(draftPath, draft('Printers move, and passwords get longer.').replace('kitchen on 4 December', 'lobby on 7 December'))
    await page.frameLocator('#desktop').getByText('The second-floor printer moves to the lobby on 7 December').waitFor()

    await writeFile(draftPath, draft('Printers move, and passwords get longer.', 'December draft: "printers'))
    const errors = page.locator('#errors')
    await errors.waitFor()
    await expect(errors.textContent()).resolves.toContain('content/issues/2026-12.md:2:26: error: YAML: Unexpected scalar at node end (front-matter/yaml)')
    await expect(page.locator('#desktop').count()).resolves.toBe(0)

    await writeFile(draftPath, draft('Printers move, and passwords get longer.', 'December draft: fixed'))
    await page.frameLocator('#desktop').getByText('December draft: fixed').first().waitFor()
    await expect(page.locator('#errors').count()).resolves.toBe(0)

    await page.goto(`${preview.url}issues/2026-12/`)
    await page.frameLocator('#desktop').getByText('The second-floor printer').waitFor()
    await mkdir('dist', { recursive: true })
    await page.screenshot({ path: 'dist/preview-screenshot.png', fullPage: false })
    expect((await readFile('dist/preview-screenshot.png')).subarray(1, 4).toString()).toBe('PNG')
  })

  it('shows a broken YAML key with its line, a caret under the column, the hint, and an editor link', async () => {
    await writeFile(draftPath, draft('Printers move.').replace('status: draft', 'statuss: draft'))
    const problem = page.locator('#errors li.problem', { hasText: 'Unknown key `statuss`' })
    await problem.waitFor()
    await expect(problem.locator('p').first().textContent()).resolves.toBe(
      'content/issues/2026-12.md:5:1: error: Unknown key `statuss` (front-matter/unknown-key)',
    )
    await expect(problem.locator('pre.excerpt').textContent()).resolves.toBe('4 | date: 2026-12-01\n5 | statuss: draft\n  | ^')
    await expect(problem.locator('.hint').textContent()).resolves.toBe('Did you mean `status`?')
    await mkdir('dist/screenshots', { recursive: true })
    await page.screenshot({ path: 'dist/screenshots/error-key.png' })
    await expect(problem.locator('a.at').getAttribute('href')).resolves.toBe(`vscode://file${pathToFileURL(draftPath).pathname}:5:1`)
    const yaml = page.locator('#errors li.problem', { hasText: 'YAML' }).first()
    await writeFile(draftPath, draft('Printers move.', 'December draft: "printers'))
    await expect(yaml.locator('pre.excerpt').textContent()).resolves.toBe('1 | ---\n2 | title: "December draft: "printers"\n  |                          ^')
    await writeFile(draftPath, draft('Printers move, and passwords get longer.'))
    await page.frameLocator('#desktop').getByText('The second-floor printer').waitFor()
  })

  it('only answers GET, only for loaded documents, only under its own host name', async () => {
    const get = (path: string, init: { method?: string; host?: string } = {}) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL(path, preview.url)
        const req = request(url, { method: init.method ?? 'GET', headers: init.host ? { host: init.host } : {} }, (res) => {
          let body = ''
          res.on('data', (chunk: Buffer) => (body += chunk))
          res.on('end', () => resolve({ status: res.statusCode!, body }))
        })
        req.on('error', reject)
        req.end()
      })
    await expect(get('/issues/2026-12/', { method: 'POST' })).resolves.toMatchObject({ status: 405 })
    await expect(get('/issues/..%2f..%2fsettings/email.html')).resolves.toMatchObject({ status: 404 })
    await expect(get('/issues/2026-13/')).resolves.toMatchObject({ status: 404 })
    await expect(get('/', { host: 'attacker.example:80' })).resolves.toMatchObject({ status: 403 })
    await expect(get('/issues/2026-12/email.html?scheme=sepia')).resolves.toMatchObject({ status: 404 })
    const text = await get('/issues/2026-12/email.txt?reader=0')
    expect(text).toMatchObject({ status: 200 })
    expect(text.body).toContain('Hello Sam Sample, here is what changed')
  })
})
