import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Element } from 'domhandler'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approveText } from '../../src/content/approval.ts'
import { failed, runPipeline } from '../../src/project/pipeline.ts'
import { loadProject } from '../../src/project/project.ts'
import { findElements, readableText } from '../helpers/html-text.ts'
import { repo, sampleContent } from '../helpers/render.ts'
import type { Browser } from 'playwright-core'
import { serveSite, type SiteServer } from '../../src/site/serve.ts'
import { auditAccessibility, launchBrowser } from '../helpers/browser.ts'
import { writeSite } from './fixture.ts'

const fixtures = join(repo, 'test', 'fixtures', 'history')
let root: string
let dir: string

/** A project of the three approved issues in test/fixtures/history and a draft, its archive built without drafts. */
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsletter-history-'))
  await mkdir(join(root, 'content', 'issues'), { recursive: true })
  for (const name of ['settings.yml', 'glossary.yml']) await copyFile(join(sampleContent, name), join(root, 'content', name))
  await symlink(join(repo, 'layouts'), join(root, 'layouts'))
  for (const name of await readdir(fixtures)) {
    const text = await readFile(join(fixtures, name), 'utf8')
    const approved = /status: draft/.test(text) ? text : approveText(text, { by: 'Dana Whitfield', at: '2026-01-01T09:00' })
    await writeFile(join(root, 'content', 'issues', name), approved)
  }
  const project = await loadProject(root)
  const pipeline = await runPipeline(project, {})
  if (failed(pipeline)) throw new Error(pipeline.files.flatMap((file) => file.messages.map(String)).join('\n'))
  ;({ dir } = await writeSite(pipeline, project.config!))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const page = async (path: string) => readFile(join(dir, path, 'index.html'), 'utf8')
const all = findElements
const text = readableText
const byTag = (name: string, className?: string) => (element: Element) =>
  element.name === name && (className === undefined || (element.attribs.class ?? '').split(' ').includes(className))
const main = async (path: string) => all(await page(path), byTag('main'))[0]!

describe('/projects/: every project across the issues', () => {
  it('lists the most recently reported project first, matched by id across a rename, each step newest first', async () => {
    const stories = all(await main('projects'), byTag('ul', 'list')).flatMap((list) => list.children.filter((child): child is Element => child.type === 'tag'))
    expect(stories.map((story) => [story.attribs.id, text(all(story, byTag('h2'))[0]!)])).toEqual([
      ['project-file-shares', 'File shares'],
      ['project-guest-wifi', 'Guest Wi-Fi upgrade'],
      ['project-laptop-refresh', 'Laptop refresh'],
    ])
    const wifi = all(all(stories[1]!, byTag('ol', 'timeline'))[0]!, byTag('li')).map(text)
    expect(wifi).toEqual([
      'On track (was delayed) · expected Jun 2026 From March: Wi-Fi back on track · 2 March 2026',
      'Delayed (was planned) · expected Jun 2026 (was Apr 2026) Why: The supplier sent the wrong access points. We ordered from a second supplier. From February: laptops done, Wi-Fi late · 2 February 2026',
      'Planned · expected Apr 2026 · as “Guest Wi-Fi” Faster guest Wi-Fi in the depots. From January: a new year of projects · 5 January 2026',
    ])
    expect(text(all(stories[1]!, byTag('p', 'muted'))[0]!)).toBe('On track now')
  })

  it('says when a project was done: the issue that first reported it done', async () => {
    const laptops = all(await main('projects'), (element) => element.attribs.id === 'project-laptop-refresh')[0]!
    const status = all(laptops, byTag('p', 'muted'))[0]!
    expect(text(status)).toBe('Done · 2 February 2026')
    expect(all(status, byTag('time'))[0]!.attribs.datetime).toBe('2026-02-02')
    expect(all(all(laptops, byTag('ol', 'timeline'))[0]!, byTag('li')).map(text)[0]).toBe(
      'Done (was on track) Everyone has a new laptop. From February: laptops done, Wi-Fi late · 2 February 2026',
    )
  })

  it('publishes only approved issues: the draft is on neither page', async () => {
    for (const path of ['projects', 'priorities']) expect(text(await main(path)), path).not.toMatch(/marmalade|April/i)
  })

  it('is linked from the navigation of every page, marked as the current page on itself', async () => {
    const links = (doc: string) => all(all(doc, byTag('nav'))[0]!, byTag('a'))
    const home = links(await page(''))
    expect(home.map((link) => link.attribs.href)).toEqual(expect.arrayContaining(['/it-news/projects/', '/it-news/priorities/']))
    const current = links(await page('projects')).filter((link) => link.attribs['aria-current'] === 'page')
    expect(current.map(text)).toEqual(['Projects'])
  })
})

describe("/priorities/: the history of IT's priorities", () => {
  it('shows each list newest first with what moved up or down, what is new and what was dropped', async () => {
    const listings = all(await main('priorities'), byTag('ul', 'list')).flatMap((list) =>
      list.children.filter((child): child is Element => child.type === 'tag'),
    )
    const read = (listing: Element) => ({
      issue: text(all(listing, byTag('h2'))[0]!),
      items: all(all(listing, byTag('ol', 'priorities'))[0]!, byTag('li')).map(text),
      dropped: all(listing, byTag('p'))
        .map(text)
        .filter((line) => line.startsWith('Dropped')),
    })
    expect(listings.map(read)).toEqual([
      {
        issue: 'March: Wi-Fi back on track',
        items: ['Backups for the depots · Up 2', 'Guest Wi-Fi · Down 1'],
        dropped: ['Dropped since the list before: Laptop refresh'],
      },
      {
        issue: 'February: laptops done, Wi-Fi late',
        items: ['Guest Wi-Fi · Up 1 Visitors complain about it.', 'Laptop refresh · Down 1', 'Backups for the depots · New'],
        dropped: ['Dropped since the list before: Phishing training'],
      },
      {
        issue: 'January: a new year of projects',
        items: ['Laptop refresh Old laptops are slow and out of support.', 'Guest Wi-Fi', 'Phishing training'],
        dropped: [],
      },
    ])
  })
})

describe('/projects/ and /priorities/ in Chromium', () => {
  let server: SiteServer
  let browser: Browser
  beforeAll(async () => {
    server = await serveSite({ dir, base: '/it-news/', port: 0 })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it.each(['projects/', 'priorities/'].flatMap((path) => (['light', 'dark'] as const).map((scheme) => [path, scheme] as const)))(
    'has no WCAG 2.1 AA violations on /%s in %s mode, and fits a 375 px phone',
    async (path, colorScheme) => {
      const page = await browser.newPage({ colorScheme, viewport: { width: 375, height: 800 } })
      try {
        await page.goto(server.url + path)
        expect(await page.locator('main h1').count()).toBe(1)
        const audit = await auditAccessibility(page)
        expect(audit.violations).toEqual([])
        expect(audit.passes).toBeGreaterThan(10)
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
      } finally {
        await page.close()
      }
    },
  )
})
