import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approveText } from '../../src/content/approval.ts'
import { failed, runPipeline } from '../../src/project/pipeline.ts'
import { loadProject } from '../../src/project/project.ts'
import { serveSite, type SiteServer } from '../../src/site/serve.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { repo, sampleContent } from '../helpers/render.ts'
import { writeSite } from './fixture.ts'

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

// Three approved months, and a fourth in review whose figures must not be published.
const month = (n: number, numbers: string, status = 'approved') => {
  const text = `---
title: "IT news, month ${n}"
issue: ${n}
date: 2026-${String(n).padStart(2, '0')}-02
status: ${status}
summary: "The month in figures."
numbers:
${numbers}
---

## Hello

Text.
`
  return status === 'approved' ? approveText(text, { by: 'Dana Whitfield', at: '2026-12-01T08:00' }) : text
}
const issues: Record<string, string> = {
  '2026-09': month(
    9,
    '  period: 2026-08\n  opened: 300\n  resolved: 280\n  first_response_median_hours: 2.5\n  resolution_median_hours: 12\n  avoidable: { count: 90, share: 0.3 }',
  ),
  '2026-10': month(
    10,
    '  period: 2026-09\n  opened: 400\n  resolved: 390\n  first_response_median_hours: 2\n  resolution_median_hours: 9.5\n  avoidable: { count: 100, share: 0.25 }',
  ),
  '2026-11': month(11, '  period: 2026-10\n  opened: 350\n  resolved: 360\n  resolution_median_hours: 8\n  avoidable: { count: 70, share: 0.2 }'),
  '2026-12': month(12, '  period: 2026-11\n  opened: 999\n  resolved: 999', 'review'),
}

let root: string
let server: SiteServer
let browser: Browser

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsletter-numbers-site-'))
  await mkdir(join(root, 'content/issues'), { recursive: true })
  await symlink(join(repo, 'layouts'), join(root, 'layouts'))
  for (const name of ['settings.yml', 'glossary.yml']) await copyFile(join(sampleContent, name), join(root, 'content', name))
  for (const [slug, text] of Object.entries(issues)) await writeFile(join(root, 'content/issues', `${slug}.md`), text)
  const project = await loadProject(root)
  const pipeline = await runPipeline(project, { drafts: false })
  if (failed(pipeline)) throw new Error(pipeline.files.flatMap((file) => file.messages.map(String)).join('\n'))
  const { dir } = await writeSite(pipeline, project.config!)
  server = await serveSite({ dir, base: '/it-news/', port: 0 })
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await rm(root, { recursive: true, force: true })
})

async function open(path: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.newPage({ colorScheme, viewport: { width: 800, height: 900 } })
  await page.goto(server.url + path)
  return page
}

describe('/numbers/ on the archive', () => {
  it('charts every approved issue’s figures as SVG with a title and description, and the same values in a table', async () => {
    const page = await open('numbers/')
    try {
      const charts = await page.evaluate(() =>
        [...document.querySelectorAll('section.chart')].map((section) => {
          const svg = section.querySelector('svg[role="img"]')!
          const ids = svg.getAttribute('aria-labelledby')!.split(' ')
          return {
            title: svg.querySelector('title')!.textContent,
            described: ids.map((id) => document.getElementById(id)?.tagName),
            desc: svg.querySelector('desc')!.textContent,
            series: [...svg.querySelectorAll('g[data-series]')].map((group) => ({
              name: group.getAttribute('data-series'),
              points: group.querySelector('polyline')!.getAttribute('points')!.split(' ').length,
              dots: [...group.querySelectorAll('circle')].map((circle) => Number(circle.getAttribute('cy'))),
            })),
            labels: [...svg.querySelectorAll('text.axis[text-anchor="middle"]')].map((text) => text.textContent),
            table: [...section.querySelectorAll('table tr')].map((row) => [...row.children].map((cell) => cell.textContent!.trim())),
          }
        }),
      )
      expect(charts.map((chart) => chart.title)).toEqual(['Tickets opened and resolved', 'How fast: median hours', 'Avoidable calls'])
      expect(charts.every((chart) => chart.described.join() === 'title,desc')).toBe(true)
      expect(charts[0]!.desc).toBe(
        'Tickets opened and resolved in tickets, August 2026 to October 2026: Opened from 300 to 400; Resolved from 280 to 390. The table below has every value.',
      )
      expect(charts[0]!.labels).toEqual(['Aug 2026', 'Sep 2026', 'Oct 2026'])
      expect(charts[0]!.table).toEqual([
        ['Month', 'Opened', 'Resolved'],
        ['August 2026', '300', '280'],
        ['September 2026', '400', '390'],
        ['October 2026', '350', '360'],
      ])
      // The axis runs to 500: 400 sits higher (a smaller y) than 350, and 350 higher than 300.
      const opened = charts[0]!.series[0]!.dots
      expect(opened[1]! < opened[2]! && opened[2]! < opened[0]!).toBe(true)
      // A month without a first-response figure has no point on that line, and a dash in the table.
      expect(charts[1]!.series.map((series) => [series.name, series.points])).toEqual([
        ['First response', 2],
        ['Resolution', 3],
      ])
      expect(charts[1]!.table.at(-1)).toEqual(['October 2026', '–', '8'])
      expect(charts[2]!.table.slice(1).map((row) => row[1])).toEqual(['30', '25', '20'])
      // The issue in review (counting November) is not published: no month of it anywhere on the page.
      expect(await page.content()).not.toContain('November 2026')
    } finally {
      await page.close()
    }
  })

  it('is linked from each issue with numbers, where the change on the previous issue is in words', async () => {
    const page = await open('issues/2026-11/')
    try {
      expect(await page.locator('a[href="/it-news/numbers/"]').count()).toBeGreaterThanOrEqual(2)
      expect(await page.locator('#numbers + ul').innerText()).toBe(
        'Tickets opened: 350, down 13% on September\nTickets resolved: 360, down 8% on September\nMedian time to resolve: 8 hours, down 16% on September',
      )
    } finally {
      await page.close()
    }
  })

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no WCAG 2.1 AA violations and lines in the page's colours in ${scheme} mode`, async () => {
      const page = await open('numbers/', scheme)
      try {
        await page.addScriptTag({ content: axeSource })
        const audit = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ passes: unknown[]; violations: { id: string }[] }> } })
            .axe
          const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
          return { passes: result.passes.length, violations: result.violations.map((violation) => violation.id) }
        })
        expect(audit.violations).toEqual([])
        expect(audit.passes).toBeGreaterThan(10)
        const colours = await page.evaluate(() => ({
          line: getComputedStyle(document.querySelector('.series-1 polyline')!).stroke,
          axis: getComputedStyle(document.querySelector('text.axis')!).fill,
        }))
        expect(colours).toEqual(
          scheme === 'dark' ? { line: 'rgb(158, 197, 255)', axis: 'rgb(176, 183, 195)' } : { line: 'rgb(11, 79, 148)', axis: 'rgb(71, 84, 103)' },
        )
      } finally {
        await page.close()
      }
    })
  }
})
