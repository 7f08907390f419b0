import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FrameLocator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PreviewServer } from '../../src/preview/server.ts'
import { openPreview, type PreviewRun } from '../helpers/preview.ts'
import { departmentsYml, withDepartmentSections } from '../send/directory-fixtures.ts'

let run: PreviewRun | undefined
let root: string
let preview: PreviewServer
let page: Page

beforeAll(async () => {
  run = await openPreview(async (root) => {
    await writeFile(join(root, 'content/departments.yml'), departmentsYml)
    const path = join(root, 'content/issues/2026-11.md')
    await writeFile(path, withDepartmentSections(await readFile(path, 'utf8')))
  })
  ;({ root, preview, page } = run)
})

afterAll(async () => {
  await run?.close()
})

/** What only Finance, only HR and both get (sections, a patch, a project, the contact), as the send test has it. */
const only = {
  finance: ['Finance moves to the new expense app', '7-Zip update', 'Your IT contact for Finance', 'Priya Shah'],
  hr: ['Guest Wi-Fi upgrade', 'Your IT contact for Human Resources', 'Tom Okafor'],
  both: ['Payslips are online'],
}

async function textOf(frame: FrameLocator): Promise<string> {
  await frame.locator('body').getByText('Payslips').or(frame.locator('body').getByText('How to reach IT')).first().waitFor({ timeout: 15_000 })
  return (await frame.locator('body').textContent())!.replace(/\s+/g, ' ')
}

/** The page scrolls sideways by this many pixels (0: it fits the window). */
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

describe('the department picker', () => {
  it('shows Finance\u2019s edition when Finance is picked: its sections and contact, none of HR\u2019s', async () => {
    await page.goto(`${preview.url}issues/2026-11/`)
    const everything = await textOf(page.frameLocator('#desktop'))
    for (const item of [...only.finance.slice(0, 2), ...only.hr.slice(0, 1), ...only.both]) expect(everything).toContain(item)
    await page.getByLabel('Show').selectOption({ label: 'Finance\u2019s edition' })
    await page.waitForURL(/\?edition=finance$/)
    for (const id of ['#desktop', '#phone']) {
      const text = await textOf(page.frameLocator(id))
      for (const item of [...only.finance, ...only.both]) expect(text, `${id} should show ${item}`).toContain(item)
      for (const item of only.hr) expect(text, `${id} should not show ${item}`).not.toContain(item)
    }
    await expect(page.locator('#edition-select').inputValue()).resolves.toBe('finance')
    await page.screenshot({ path: '/tmp/preview-edition-finance.png' })

    await page.locator('[data-tab="text"]').click()
    const text = (await page.locator('#text-part').textContent())!
    expect(text).toContain('Priya Shah')
    expect(text).toContain('Phone: +44 20 7946 0101')
    expect(text).not.toContain('Tom Okafor')

    await page.getByLabel('Show').selectOption({ label: 'Human Resources\u2019s edition' })
    await page.waitForURL(/\?edition=hr#text$/)
    const hr = (await page.locator('#text-part').textContent())!
    expect(hr).toContain('Tom Okafor')
    expect(hr).not.toContain('Finance moves to the new expense app')
    await expect(fetch(`${preview.url}issues/2026-11/email.html?edition=sales`).then((response) => response.status)).resolves.toBe(404)
  })

  it('shows every edition side by side, the general one too, readable at desktop and phone widths', async () => {
    await page.goto(`${preview.url}issues/2026-11/#departments`)
    const rows = page.locator('table.editions tbody tr')
    await expect(rows.locator('th').allTextContents()).resolves.toEqual(['Finance', 'Human Resources', 'General edition'])
    await expect(page.locator('#edition-row-finance td').nth(0).textContent()).resolves.toBe('Priya Shah <priya.shah@example.com>, +44 20 7946 0101')
    await expect(page.locator('#edition-row-finance td').nth(1).textContent()).resolves.toBe('New expense app · Payslips move online · Patch: 7-Zip update')
    await expect(page.locator('#edition-row-hr td').nth(1).textContent()).resolves.toBe('Payslips move online · Project: Guest Wi-Fi upgrade')
    await expect(page.locator('#edition-row-_general td').allTextContents()).resolves.toEqual(['the helpdesk', 'nothing', expect.stringMatching(/^\d+$/)])

    const finance = await textOf(page.frameLocator('#edition-finance'))
    const hr = await textOf(page.frameLocator('#edition-hr'))
    const general = await textOf(page.frameLocator('#edition-_general'))
    for (const item of [...only.finance, ...only.both]) expect(finance).toContain(item)
    for (const item of only.hr) expect(finance).not.toContain(item)
    for (const item of [...only.hr, ...only.both]) expect(hr).toContain(item)
    for (const item of only.finance) expect(hr).not.toContain(item)
    for (const item of [...only.finance, ...only.hr, ...only.both]) expect(general).not.toContain(item)
    expect(general).toContain('How to reach IT')

    // At 1280 px the three sit in one row at their own size; nothing is scaled down or scrolls sideways.
    const boxes = await Promise.all(['finance', 'hr', '_general'].map(async (id) => (await page.locator(`#edition-${id}`).boundingBox())!))
    expect(boxes.map((box) => [Math.round(box.width), Math.round(box.y)])).toEqual(boxes.map(() => [375, Math.round(boxes[0]!.y)]))
    expect(boxes[1]!.x).toBeGreaterThan(boxes[0]!.x + boxes[0]!.width)
    await expect(sideways(page)).resolves.toBe(0)
    await page.screenshot({ path: '/tmp/preview-editions-1280-table.png' })
    await page.locator('#edition-finance').evaluate((frame) => frame.scrollIntoView())
    await page.screenshot({ path: '/tmp/preview-editions-1280.png' })

    // On a phone they stack, each as wide as the window allows; text stays at its size.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.waitForFunction(() => document.getElementById('edition-hr')!.getBoundingClientRect().top > 0)
    const stacked = await Promise.all(['finance', 'hr'].map(async (id) => (await page.locator(`#edition-${id}`).boundingBox())!))
    expect(stacked[1]!.y).toBeGreaterThan(stacked[0]!.y + stacked[0]!.height)
    expect(stacked[0]!.width).toBeGreaterThan(350)
    await expect(sideways(page)).resolves.toBe(0)
    // The table too: each edition a card of labelled lines, nothing to scroll sideways to.
    await expect(page.locator('.table-scroll:has(table.editions)').evaluate((box) => box.scrollWidth - box.clientWidth)).resolves.toBe(0)
    const line = page.locator('#edition-row-hr td').nth(1)
    await expect(line.evaluate((td) => [getComputedStyle(td).display, getComputedStyle(td, '::before').content])).resolves.toEqual([
      'block',
      '"Written for it: "',
    ])
    await expect(line.evaluate((td) => td.getBoundingClientRect().right <= innerWidth)).resolves.toBe(true)
    await page.locator('#tab-departments').evaluate((tab) => tab.scrollIntoView())
    await page.screenshot({ path: '/tmp/preview-editions-390-table.png' })
    await page.locator('#edition-hr').evaluate((frame) => frame.scrollIntoView())
    await page.screenshot({ path: '/tmp/preview-editions-390.png' })
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('changes nothing without departments.yml: no picker, no Departments tab, no editions', async () => {
    await page.goto(`${preview.url}issues/2026-11/`)
    await page.locator('#edition-select').waitFor()
    await rm(join(root, 'content/departments.yml'))
    await page.locator('#edition-select').waitFor({ state: 'detached', timeout: 15_000 })
    await expect(page.locator('[data-tab="departments"]').count()).resolves.toBe(0)
    await expect(page.locator('#tab-departments').count()).resolves.toBe(0)
    await expect(fetch(`${preview.url}issues/2026-11/email.html?edition=finance`).then((response) => response.status)).resolves.toBe(404)
  })
})
