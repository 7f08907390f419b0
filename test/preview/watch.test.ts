// @module-tag browser
import { rename, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { type PreviewServer } from '../../src/preview/server.ts'
import { openPreview, type PreviewRun } from '../helpers/preview.ts'

const draft = (line: string) => `---
title: "December draft"
issue: 15
date: 2026-12-01
status: draft
summary: "Printers move, and passwords get longer."
---

${line}
`

let run: PreviewRun | undefined
let root: string
let preview: PreviewServer
let page: Page

beforeAll(async () => {
  run = await openPreview((root) => writeFile(join(root, 'content/issues/2026-12.md'), draft('Save number none.')))
  ;({ root, preview, page } = run)
})

afterAll(async () => {
  await run?.close()
})

/** Save as editors do: in place (truncate and write), or by writing a temporary file and renaming it over the old one. */
async function save(path: string, text: string, byRename: boolean): Promise<void> {
  if (!byRename) return writeFile(path, text)
  await writeFile(`${path}.swp`, text)
  await rename(`${path}.swp`, path)
}

describe('the preview follows every save', () => {
  // How fast a save shows is measured by bench/preview.ts (target 500 ms); this proves that none is ever missed,
  // each within a bound a loaded CI machine still meets.
  it('shows each of ten saves, alternating in-place writes and renames', async () => {
    const path = join(root, 'content/issues/2026-12.md')
    await page.goto(`${preview.url}issues/2026-12/`)
    await page.frameLocator('#desktop').getByText('Save number none.').waitFor()
    for (let i = 1; i <= 10; i++) {
      await save(path, draft(`Save number ${i}.`), i % 2 === 0)
      await page.frameLocator('#desktop').getByText(`Save number ${i}.`).waitFor({ timeout: 10_000 })
    }
  })

  it('follows a file deleted and recreated, and a file added while running', async () => {
    const path = join(root, 'content/issues/2026-12.md')
    await page.goto(preview.url)
    await page.getByRole('link', { name: 'December draft' }).waitFor()
    await unlink(path)
    await page.getByRole('link', { name: 'December draft' }).waitFor({ state: 'detached' })
    await writeFile(path, draft('Back again.').replace('December draft', 'December draft, recreated'))
    await page.getByRole('link', { name: 'December draft, recreated' }).waitFor()
    await writeFile(
      join(root, 'content/notices/2026-12-02-wifi.md'),
      '---\ntitle: Wi-Fi is slow\ndate: 2026-12-02\nsummary: Slow.\nservice: Wi-Fi\nstate: identified\nimpact: Slow.\n---\n',
    )
    await page.getByRole('link', { name: 'Wi-Fi is slow' }).click()
    await page.frameLocator('#desktop').getByText('Wi-Fi is slow').first().waitFor()
    await save(path, draft('Renamed into place after being recreated.'), true)
    await page.goto(`${preview.url}issues/2026-12/`)
    await page.frameLocator('#desktop').getByText('Renamed into place after being recreated.').waitFor()
  })
})
