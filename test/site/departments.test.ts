// @module-tag browser
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DomUtils, parseDocument } from 'htmlparser2'
import type { Element } from 'domhandler'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approveText } from '../../src/content/approval.ts'
import { failed, runPipeline } from '../../src/project/pipeline.ts'
import { loadProject } from '../../src/project/project.ts'
import { serveSite, type SiteServer } from '../../src/site/serve.ts'
import { auditAccessibility, launchBrowser } from '../helpers/browser.ts'
import { tempProject } from '../helpers/project.ts'
import { departmentsYml, withDepartmentSections } from '../send/directory-fixtures.ts'
import { brokenLinks, writeSite } from './fixture.ts'

const screenshots = join(import.meta.dirname, '..', '..', 'dist', 'screenshots')

// Finance and HR from the send tests, Legal with no contact, and Sales whose contact tries to inject markup and a scheme.
const departments = `${departmentsYml}  - id: legal
    name: Legal
  - id: sales
    name: Sales
    contact: { name: "<img src=x onerror=alert(1)>Sam", email: "javascript:alert(1)@example.com", phone: "+1 (555) 010-0199" }
`

const approved = (text: string) => approveText(text, { by: 'Dana Whitfield', at: '2026-12-01T08:00' })

const openNotice = approved(`---
title: "Payroll: payslips are late"
date: 2026-12-01
status: approved
summary: "Payslips are not in the portal yet."
service: Payroll portal
departments: [finance, hr]
state: investigating
impact: "Nobody can see this month's payslip."
updates:
  - time: 2026-12-01T09:00
    state: investigating
    text: "We are looking into it."
---
`)

const draft = `---
title: "December: drafts stay private"
issue: 16
date: 2026-12-03
status: draft
summary: "Not approved yet."
---

## Secret budget plans
<!-- for: finance -->

Not for the archive yet.
`

let root: string
let dir: string
let server: SiteServer
let browser: Browser
const read = (path: string) => readFile(join(dir, path), 'utf8')

beforeAll(async () => {
  root = tempProject()
  await writeFile(join(root, 'content/departments.yml'), departments)
  const issue = (slug: string) => join(root, 'content/issues', `${slug}.md`)
  const november = withDepartmentSections(await readFile(issue('2026-11'), 'utf8')).replace(/^( {2}- service: VPN)$/m, '$1\n    for: [legal]')
  await writeFile(issue('2026-11'), approved(november))
  const october = await readFile(issue('2026-10'), 'utf8')
  await writeFile(issue('2026-10'), approved(`${october}\n## Year-end close\n<!-- for: finance, hr, legal -->\n\nThe finance system closes early.\n`))
  await writeFile(issue('2026-12'), draft)
  await writeFile(join(root, 'content/notices/2026-12-01-payroll.md'), openNotice)
  const project = await loadProject(root)
  const pipeline = await runPipeline(project, { drafts: false })
  if (failed(pipeline)) throw new Error(pipeline.files.flatMap((file) => file.messages.map(String)).join('\n'))
  dir = (await writeSite(pipeline, project.config!, project.departments.departments)).dir
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await rm(root, { recursive: true, force: true })
})

/** Every department label on a page, each with the heading or bold title it belongs to: `[title, label]`. */
async function labels(path: string): Promise<[string, string][]> {
  const document = parseDocument(await read(path))
  const found: [string, string][] = []
  let title = ''
  for (const element of DomUtils.findAll(() => true, document.children)) {
    if (['h2', 'h3', 'strong'].includes(element.name)) title = DomUtils.textContent(element).trim()
    if (DomUtils.getAttributeValue(element, 'class') === 'audience') found.push([title, DomUtils.textContent(element).trim()])
  }
  return found
}

function elements(html: string, test: (element: Element) => boolean): Element[] {
  return DomUtils.findAll(test, parseDocument(html).children)
}

const text = (element: Element) => DomUtils.textContent(element).replace(/\s+/g, ' ').trim()

describe('departments on the archive', () => {
  it('shows every section and labels what is for some departments with their names, joined naturally', async () => {
    expect(await labels('issues/2026-11/index.html')).toEqual([
      ['7-Zip update', 'For Finance'],
      ['Guest Wi-Fi upgrade', 'For Human Resources'],
      ['VPN', 'For Legal'],
      ['New expense app', 'For Finance'],
      ['Payslips move online', 'For Human Resources and Finance'],
    ])
    expect(await labels('issues/2026-10/index.html')).toEqual([['Year-end close', 'For Finance, Human Resources and Legal']])
    expect(await labels('patches/index.html')).toEqual([['7-Zip update', 'For Finance']])
    // The incident history labels the notice that affects some departments and the issue's incident for Legal.
    expect(await labels('incidents/index.html')).toEqual([
      ['Payroll portal', 'For Finance and Human Resources'],
      ['VPN', 'For Legal'],
    ])
    // The sections for everyone carry no label, and the archive shows both departments' sections.
    const headings = elements(await read('issues/2026-11/index.html'), (element) => element.name === 'h2').map(text)
    expect(headings).toEqual(expect.arrayContaining(['Windows 11 update: restart on Thursday', 'New expense app', 'Payslips move online', 'Thank you']))
  })

  it('lists each department on /departments/ in the order of departments.yml, with its contact and its newest published entries', async () => {
    const html = await read('departments/index.html')
    const items = elements(
      html,
      (element) => element.name === 'li' && element.parent?.type === 'tag' && DomUtils.getAttributeValue(element.parent as Element, 'class') === 'list',
    )
    expect(items.map((item) => text(DomUtils.findOne((element) => element.name === 'h2', item.children)!))).toEqual([
      'Finance',
      'Human Resources',
      'Legal',
      'Sales',
    ])
    const [finance, hr, legal] = items
    expect(DomUtils.getOuterHTML(finance!)).toContain('<strong>Your IT contact:</strong> Priya Shah<br>Email: ')
    const links = (item: Element) =>
      DomUtils.findAll((element) => element.name === 'a', item.children).map((a) => [text(a), DomUtils.getAttributeValue(a, 'href')])
    expect(links(finance!)).toEqual([
      ['Finance', '/it-news/departments/finance/'],
      ['priya.shah@example.com', 'mailto:priya.shah@example.com'],
      ['+44 20 7946 0101', 'tel:+442079460101'],
      // Newest first: the open notice (1 Dec), then November's sections in reading order and its patch, then October's.
      ['Payroll: payslips are late', '/it-news/notices/2026-12-01-payroll/'],
      ['New expense app', '/it-news/issues/2026-11/#new-expense-app'],
      ['Payslips move online', '/it-news/issues/2026-11/#payslips-move-online'],
      ['7-Zip update', '/it-news/issues/2026-11/#patches'],
      ['Year-end close', '/it-news/issues/2026-10/#year-end-close'],
    ])
    expect(
      links(hr!)
        .slice(3)
        .map(([title]) => title),
    ).toEqual(['Payroll: payslips are late', 'Payslips move online', 'Guest Wi-Fi upgrade', 'Year-end close'])
    expect(text(legal!)).toContain('No IT contact is named for Legal yet')
    expect(
      links(legal!)
        .slice(2)
        .map(([title, href]) => `${title} ${href}`),
    ).toEqual(['VPN /it-news/issues/2026-11/#incidents', 'Year-end close /it-news/issues/2026-10/#year-end-close'])
    // A draft's section for Finance is not published anywhere, this page included.
    expect(html).not.toContain('Secret budget plans')
    expect(await brokenLinks(dir, 'https://intranet.example.com/it-news/')).toEqual([])
  })

  it('gives each department a page with everything written for it, and links /departments/ from the navigation', async () => {
    const finance = await read('departments/finance/index.html')
    expect(elements(finance, (element) => element.name === 'h1').map(text)).toEqual(['For Finance'])
    const main = elements(finance, (element) => element.name === 'main')
    expect(DomUtils.findAll((element) => element.name === 'h2', main).map(text)).toEqual([
      'Payroll: payslips are late',
      'New expense app',
      'Payslips move online',
      '7-Zip update',
      'Year-end close',
    ])
    for (const page of ['index.html', 'issues/2026-11/index.html', 'departments/index.html']) {
      const nav = elements(await read(page), (element) => element.name === 'nav')[0]!
      expect(DomUtils.findAll((element) => element.name === 'a', nav.children).map(text), page).toContain('Departments')
    }
  })

  it('escapes a contact’s markup and keeps its email a mailto: link whatever it holds', async () => {
    const html = await read('departments/index.html')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;Sam')
    expect(html).toContain('href="mailto:javascript%3Aalert(1)@example.com"')
    expect(html).toContain('href="tel:+15550100199"')
    const hrefs = elements(html, (element) => element.name === 'a').map((a) => DomUtils.getAttributeValue(a, 'href')!)
    expect(hrefs.filter((href) => !/^(\/it-news\/|mailto:|tel:|https:|#main$)/.test(href))).toEqual([])
  })

  it('names the departments a notice affects on /status/ and on the notice’s page', async () => {
    const status = await read('status/index.html')
    const open = status.slice(0, status.indexOf('Planned maintenance'))
    expect(open).toContain('<strong>Departments affected:</strong> Finance and Human Resources')
    const page = await read('notices/2026-12-01-payroll/index.html')
    expect(page).toContain('<dt><strong>Departments affected</strong></dt><dd>Finance and Human Resources</dd>')
    expect(await read('notices/2026-10-14-vpn-outage/index.html')).not.toContain('Departments affected')
  })
})

describe('/departments/ in Chromium', () => {
  beforeAll(async () => {
    server = await serveSite({ dir, base: '/it-news/', port: 0 })
    browser = await launchBrowser()
  })

  it.each(['light', 'dark'] as const)('has no WCAG 2.1 AA violations in %s mode', async (colorScheme) => {
    const page = await browser.newPage({ colorScheme })
    try {
      await page.goto(`${server.url}departments/`)
      const audit = await auditAccessibility(page)
      expect(audit.violations).toEqual([])
      expect(audit.passes).toBeGreaterThan(10)
    } finally {
      await page.close()
    }
  })

  it.each(['light', 'dark'] as const)('fits a 375 px phone in %s mode: nothing sticks out sideways (screenshots in dist/screenshots)', async (colorScheme) => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 }, colorScheme })
    try {
      for (const path of ['departments/', 'departments/finance/']) {
        await page.goto(server.url + path)
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375)
        await mkdir(screenshots, { recursive: true })
        await page.screenshot({ path: join(screenshots, `site-${path.replace(/\W+/g, '-').replace(/-$/, '')}-375-${colorScheme}.png`), fullPage: true })
      }
    } finally {
      await page.close()
    }
  })

  it('keeps the navigation, now with Departments, on one line at 1024 px', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 800 } })
    try {
      await page.goto(`${server.url}departments/`)
      const tops = await page.$$eval('header nav li', (items) => items.map((item) => Math.round(item.getBoundingClientRect().top)))
      expect(tops).toHaveLength(11)
      expect(new Set(tops).size).toBe(1)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(1024)
      expect(await page.locator('header nav [aria-current="page"]').innerText()).toBe('Departments')
    } finally {
      await page.close()
    }
  })
})
