// @module-tag browser
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseDoc } from '../../src/content/load.ts'
import { approvalOf } from '../../src/project/open-document.ts'
import { type PreviewServer } from '../../src/preview/server.ts'
import { openPreview, postJson, type PreviewRun } from '../helpers/preview.ts'

const draft = (issue: number, body: string) => `---
title: "December: printers"
issue: ${issue}
date: 2026-12-01
status: review
summary: "Printers move."
---

Hello {{name|colleague}}, the second-floor printer moves to the kitchen on 4 December.
${body}`

// An image without alt text is an error of the email checks (email/image-alt): approve refuses it.
const broken = draft(16, '\n![](https://intranet.example.com/chart.png)\n')

let run: PreviewRun | undefined
let root: string
let preview: PreviewServer
let page: Page

beforeAll(async () => {
  run = await openPreview(async (root) => {
    await writeFile(join(root, 'content/issues/2026-12.md'), draft(15, ''))
    await writeFile(join(root, 'content/issues/2026-13.md'), broken)
    await writeFile(join(root, 'content/issues/2026-14.md'), draft(17, ''))
  })
  ;({ root, preview, page } = run)
})

afterAll(async () => {
  await run?.close()
})

const fileOf = (slug: string) => join(root, 'content/issues', `${slug}.md`)

/** Where the file on disk stands with its approval, read as `send` reads it. */
async function approvalOnDisk(slug: string) {
  const text = await readFile(fileOf(slug), 'utf8')
  return approvalOf(parseDoc(`content/issues/${slug}.md`, text, 'issue').doc!)
}

const post = (path: string, body: string, headers: Record<string, string>) => postJson(preview, path, body, headers)

describe('approving from the preview page', () => {
  it('approves as `newsletter approve` does: the file then reads approved, and the page says by whom', async () => {
    await page.goto(`${preview.url}issues/2026-12/`)
    await expect(page.locator('#approval-state').textContent()).resolves.toBe('Not approved yet: nothing of it is published or sent until it is')
    await expect(approvalOnDisk('2026-12')).resolves.toMatchObject({ state: 'unapproved' })
    await page.getByLabel('Approve as').fill('Dana Whitfield')
    await page.getByRole('button', { name: 'Approve' }).click()
    await page.locator('#approval-state', { hasText: 'Approved by Dana Whitfield' }).waitFor({ timeout: 15_000 })
    await page.locator('#approve-result.ok').waitFor()
    await expect(page.locator('#approve-result').textContent()).resolves.toMatch(
      /^Approved content\/issues\/2026-12\.md by Dana Whitfield at 20\d\d-\d\d-\d\dT\d\d:\d\d \(sha256:[0-9a-f]{12}…\)\. Any later change/,
    )
    await expect(page.locator('#approval-state').textContent()).resolves.toMatch(/^Approved by Dana Whitfield at 20\d\d-\d\d-\d\dT\d\d:\d\d$/)
    await expect(page.locator('h1 .badge').textContent()).resolves.toBe('Approved')
    await expect(page.locator('#approve').count()).resolves.toBe(0)
    const text = await readFile(fileOf('2026-12'), 'utf8')
    expect(text).toMatch(/\nstatus: approved\napproved_by: "Dana Whitfield"\napproved_at: \S+\napproved_digest: sha256:[0-9a-f]{64}\n/)
    await expect(approvalOnDisk('2026-12')).resolves.toMatchObject({ state: 'approved', by: 'Dana Whitfield' })
    await page.screenshot({ path: '/tmp/preview-approved.png' })
  })

  it('shows a change after approval, and approves the new content again', async () => {
    await writeFile(fileOf('2026-12'), (await readFile(fileOf('2026-12'), 'utf8')).replace('kitchen', 'lobby'))
    await page.locator('#approval-state', { hasText: 'Changed since it was approved by Dana Whitfield' }).waitFor({ timeout: 15_000 })
    await expect(approvalOnDisk('2026-12')).resolves.toMatchObject({ state: 'changed' })
    await page.getByLabel('Approve as').fill('Sam Reviewer')
    await page.getByRole('button', { name: 'Approve' }).click()
    await page.locator('#approval-state', { hasText: 'Approved by Sam Reviewer' }).waitFor({ timeout: 15_000 })
    await expect(approvalOnDisk('2026-12')).resolves.toMatchObject({ state: 'approved', by: 'Sam Reviewer' })
  })

  it('refuses a document with errors, showing each, and leaves the file as it was', async () => {
    await page.goto(`${preview.url}issues/2026-13/`)
    const line = broken.split('\n').indexOf('![](https://intranet.example.com/chart.png)') + 1
    await page.getByLabel('Approve as').fill('Dana Whitfield')
    await page.getByRole('button', { name: 'Approve' }).click()
    await page.locator('#approve-result.bad').waitFor({ timeout: 15_000 })
    const output = (await page.locator('#approve-result').textContent())!
    expect(output).toMatch(new RegExp(`^content/issues/2026-13\\.md:${line}:1: error: .* \\(email/image-alt\\)$`, 'm'))
    expect(output).toMatch(/\nerror: Not approved: fix the errors above first\.$/)
    await expect(page.locator('#approval-state').textContent()).resolves.toBe('Not approved yet: nothing of it is published or sent until it is')
    await expect(readFile(fileOf('2026-13'), 'utf8')).resolves.toBe(broken)
    await page.screenshot({ path: '/tmp/preview-approve-refused.png' })
  })

  it('asks for a name before approving', async () => {
    await page.goto(`${preview.url}issues/2026-14/`)
    await page.getByRole('button', { name: 'Approve' }).click()
    await expect(page.locator('#approve-result.bad').textContent()).resolves.toBe('Type the approver\u2019s name.')
    await expect(readFile(fileOf('2026-14'), 'utf8')).resolves.toBe(draft(17, ''))
  })

  it('refuses a POST without the token or from another Origin, leaving the file unchanged', async () => {
    const html = await (await fetch(`${preview.url}issues/2026-14/`)).text()
    const token = /id="approve"[^>]* data-token="([^"]+)"/.exec(html)![1]!
    const origin = preview.url.replace(/\/$/, '')
    const body = (fields: object) => JSON.stringify({ by: 'Mallory', ...fields })
    const before = await readFile(fileOf('2026-14'), 'utf8')
    await expect(post('/issues/2026-14/approve', body({}), { origin })).resolves.toMatchObject({ status: 403 })
    await expect(post('/issues/2026-14/approve', body({ token: 'x'.repeat(token.length) }), { origin })).resolves.toMatchObject({ status: 403 })
    await expect(post('/issues/2026-14/approve', body({ token }), { origin: 'http://attacker.example' })).resolves.toMatchObject({ status: 403 })
    await expect(post('/issues/2026-14/approve', body({ token }), {})).resolves.toMatchObject({ status: 403 })
    const port = new URL(preview.url).port
    await expect(
      post('/issues/2026-14/approve', body({ token }), { origin: `http://attacker.example:${port}`, host: `attacker.example:${port}` }),
    ).resolves.toMatchObject({ status: 403 })
    await expect(readFile(fileOf('2026-14'), 'utf8')).resolves.toBe(before)
    await expect(approvalOnDisk('2026-14')).resolves.toMatchObject({ state: 'unapproved' })
    // The same request with the token, from the page's own origin: accepted, so the refusals above are the checks.
    const accepted = await post('/issues/2026-14/approve', body({ token }), { origin })
    expect(accepted.status).toBe(200)
    expect(JSON.parse(accepted.body)).toMatchObject({ ok: true })
    await expect(approvalOnDisk('2026-14')).resolves.toMatchObject({ state: 'approved', by: 'Mallory' })
  })
})
