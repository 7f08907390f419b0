import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PreviewServer } from '../../src/preview/server.ts'
import { startSink, type Sink } from '../send/helpers.ts'
import { openPreview, postJson, type PreviewRun } from '../helpers/preview.ts'

const password = 'S3cr3t-p@ss:w0rd!'
const draft = `---
title: "December draft: printers"
issue: 15
date: 2026-12-01
status: draft
summary: "Printers move."
---

Hello {{name|colleague}}, the second-floor printer moves to the kitchen on 4 December.
`

let run: PreviewRun | undefined
let root: string
let sink: Sink
let preview: PreviewServer
let page: Page

beforeAll(async () => {
  sink = await startSink({ auth: { user: 'it-news', pass: password } })
  const prepare = async (root: string) => {
    await writeFile(join(root, 'content/issues/2026-12.md'), draft)
    const settings = await readFile(join(root, 'content/settings.yml'), 'utf8')
    await writeFile(
      join(root, 'content/settings.yml'),
      `${settings.replace('send:\n', 'send:\n  require_tls: false\n  retry_delay: 10\n')}preview:\n  test_to: [tester@example.com]\n`,
    )
  }
  run = await openPreview(prepare, { env: { SMTP_URL: `smtp://it-news:${encodeURIComponent(password)}@127.0.0.1:${sink.port}` } })
  ;({ root, preview, page } = run)
})

afterAll(async () => {
  await run?.close()
  await sink?.close()
})

const post = (path: string, body: string, headers: Record<string, string>) => postJson(preview, path, body, headers)

describe('sending a test from the preview page', () => {
  it('delivers to the settings\u2019 test_to and to a typed address with [TEST], leaving the ledger untouched', async () => {
    await page.goto(`${preview.url}issues/2026-12/`)
    const field = page.locator('#send-test input[name="to"]')
    await expect(field.inputValue()).resolves.toBe('tester@example.com')
    await page.getByRole('button', { name: 'Send test' }).click()
    await page.locator('#send-result.ok').waitFor({ timeout: 15_000 })
    const output = await page.locator('#send-result').textContent()
    expect(output).toContain('Test send of issue 2026-12 ("December draft: printers") to tester@example.com via smtp://it-news@127.0.0.1:')
    expect(output).toMatch(/Done: .* 1 sent, 0 failed/)
    expect(sink.messages.map((m) => [m.to && 'text' in m.to ? m.to.text : '', m.subject])).toEqual([['tester@example.com', '[TEST] December draft: printers']])
    expect(sink.messages[0]!.text).toContain('Hello colleague, the second-floor printer moves')

    await field.fill('Other@example.com, third@example.com')
    await page.getByRole('button', { name: 'Send test' }).click()
    await page.locator('#send-result.ok', { hasText: '2 sent' }).waitFor({ timeout: 15_000 })
    expect(sink.accepted.slice(1).sort()).toEqual(['Other@example.com', 'third@example.com'])
    expect(existsSync(join(root, '.newsletter'))).toBe(false)
    await mkdir('dist/screenshots', { recursive: true })
    await page.screenshot({ path: 'dist/screenshots/send-test.png' })
    await expect(page.content()).resolves.not.toContain(password)
    await expect(page.content()).resolves.not.toContain(encodeURIComponent(password))
  })

  it('shows a refusal (an address outside the rules) without sending', async () => {
    await page.locator('#send-test input[name="to"]').fill('not-an-address')
    await page.getByRole('button', { name: 'Send test' }).click()
    await expect(page.locator('#send-result.bad').textContent()).resolves.toBe(
      'error: --to: `not-an-address` is not an email address\n  Write it like jane.doe@example.com',
    )
    expect(sink.accepted).toHaveLength(3)
  })

  it('keeps typed addresses, the tab and the scroll position when a save updates the page', async () => {
    await page.setViewportSize({ width: 1280, height: 400 })
    await page.goto(`${preview.url}issues/2026-12/#dark`)
    await page.frameLocator('#unstyled').getByText('the second-floor printer moves').waitFor()
    await page.locator('#send-test input[name="to"]').fill('kept@example.com')
    await page.evaluate(() => scrollTo(0, 300))
    await writeFile(join(root, 'content/issues/2026-12.md'), draft.replace('kitchen', 'lobby'))
    await page.frameLocator('#unstyled').getByText('the second-floor printer moves to the lobby').waitFor()
    await expect(page.locator('#send-test input[name="to"]').inputValue()).resolves.toBe('kept@example.com')
    await expect(page.locator('[aria-selected="true"]').textContent()).resolves.toBe('Dark mode · No styles')
    await expect(page.evaluate(() => scrollY)).resolves.toBe(300)
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('refuses a POST without the token, from a foreign Origin, or to a foreign Host', async () => {
    const html = await (await fetch(`${preview.url}issues/2026-12/`)).text()
    const token = /data-token="([^"]+)"/.exec(html)![1]!
    const origin = preview.url.replace(/\/$/, '')
    const host = new URL(preview.url).host
    const body = (fields: object) => JSON.stringify({ to: 'tester@example.com', ...fields })
    await expect(post('/issues/2026-12/send-test', body({}), { origin })).resolves.toMatchObject({ status: 403 })
    await expect(post('/issues/2026-12/send-test', body({ token: 'x'.repeat(token.length) }), { origin })).resolves.toMatchObject({ status: 403 })
    await expect(post('/issues/2026-12/send-test', body({ token }), { origin: 'http://attacker.example' })).resolves.toMatchObject({ status: 403 })
    await expect(post('/issues/2026-12/send-test', body({ token }), {})).resolves.toMatchObject({ status: 403 })
    await expect(post('/issues/2026-12/send-test', body({ token }), { origin: 'http://attacker.example', host: 'attacker.example' })).resolves.toMatchObject({
      status: 403,
    })
    await expect(
      post('/issues/2026-12/send-test', body({ token }), {
        origin: `http://attacker.example:${new URL(preview.url).port}`,
        host: `attacker.example:${new URL(preview.url).port}`,
      }),
    ).resolves.toMatchObject({ status: 403 })
    await expect(post('/issues/2026-12/', body({ token }), { origin })).resolves.toMatchObject({ status: 405 })
    expect(sink.accepted).toHaveLength(3)
    // The same request with the token, from the page's own origin and host, is accepted: the refusals above are the checks.
    const accepted = await post('/issues/2026-12/send-test', body({ token }), { origin, host })
    expect(accepted.status).toBe(200)
    expect(JSON.parse(accepted.body)).toMatchObject({ ok: true })
    expect(sink.accepted).toHaveLength(4)
  })
})
