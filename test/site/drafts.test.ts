import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syntheticIssue } from '../../bench/synthetic.ts'
import type { Pipeline } from '../../src/project/pipeline.ts'
import { loadConfig } from '../../src/config.ts'
import { parseDoc } from '../../src/content/load.ts'
import { NewsletterError } from '../../src/errors.ts'
import { renderParts } from '../../src/markdown/parts.ts'
import { buildSite, renderDocPage } from '../../src/site/build-site.ts'
import { brokenLinks, buildFixtureSite, listFiles, writeSite, type BuiltSite } from './fixture.ts'

let site: BuiltSite
const read = (path: string) => readFile(join(site.dir, path), 'utf8')
const article = (html: string) => /<article[\s\S]*<\/article>/.exec(html)?.[0]

beforeAll(async () => {
  site = await buildFixtureSite({ drafts: true })
})
afterAll(async () => {
  await rm(site.root, { recursive: true, force: true })
})

describe('archive site with --drafts', () => {
  it('includes the draft, marked as a draft, but keeps it out of the feed and sitemap', async () => {
    const page = await read('issues/2026-12/index.html')
    expect(page).toContain('<strong>Draft.</strong> This issue is not published yet')
    expect(await read('index.html')).toMatch(
      /<span class="draft">Draft<\/span><\/p>\s*<h3><a href="\/it-news\/issues\/2026-12\/">December: holiday cover<\/a><\/h3>/,
    )
    expect(await read('feed.xml')).not.toContain('2026-12')
    expect(await read('sitemap.xml')).not.toContain('2026-12')
    expect(await read('issues/2027-01/index.html')).toContain('<strong>In review.</strong> This issue is waiting for approval')
    expect(await read('feed.xml')).not.toContain('2027-01')
    expect(await read('sitemap.xml')).not.toContain('2027-01')
    expect(await brokenLinks(site.dir, site.config.settings.archive_url)).toEqual([])
  })

  it('renders one page for the preview with the same layouts as the site build', async () => {
    for (const slug of ['2026-12', '2026-10', '2026-10-14-vpn-outage']) {
      const doc = site.pipeline.rendered.find((candidate) => candidate.slug === slug)!
      const html = await renderDocPage(doc, site.config)
      const built = await read(`${doc.kind === 'issue' ? 'issues' : 'notices'}/${slug}/index.html`)
      expect(article(html), slug).toBeDefined()
      expect(article(html)).toBe(article(built))
      expect(html).toContain(`<title>${doc.title.replace(/"/g, '&#34;')} · Brightwater Logistics IT news</title>`)
    }
  })
})

describe('archive site layout errors', () => {
  it('names the layout line and leaves the previous site in place', async () => {
    const root = await mkdtemp(join(tmpdir(), 'newsletter-layout-'))
    try {
      await cp(join(site.root, 'content'), join(root, 'content'), { recursive: true })
      await cp(join(import.meta.dirname, '..', '..', 'layouts'), join(root, 'layouts'), { recursive: true })
      const { config } = await loadConfig({ root })
      const pipeline: Pipeline = { files: [], rendered: site.pipeline.rendered, emails: [] }
      await writeSite(pipeline, config!)
      const before = await readFile(join(root, 'dist', 'site', 'faq', 'index.html'), 'utf8')
      const faq = join(root, 'layouts', 'site', 'faq.liquid')
      await writeFile(
        faq,
        (await readFile(faq, 'utf8')).replace('{%- for item in listPage.items %}', '{%- for item in listPage.items %}{{ item.question | shout }}'),
      )
      const error = await writeSite(pipeline, config!).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(NewsletterError)
      expect((error as NewsletterError).message).toMatch(/undefined filter: shout/)
      expect((error as NewsletterError).where).toEqual({ file: expect.stringMatching(/layouts\/site\/faq\.liquid$/), line: 5, column: 34 })
      expect(await readFile(join(root, 'dist', 'site', 'faq', 'index.html'), 'utf8')).toBe(before)
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })
})

describe('pagination of long lists', () => {
  it('shows 50 issues on / and the rest on /page/2/, splits the other lists, and keeps every page under 100 KB', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsletter-pages-'))
    try {
      const rendered = Array.from({ length: 53 }, (_, i) => {
        const { name, text } = syntheticIssue(i + 1)
        const { doc } = parseDoc(`content/issues/${name}`, text, 'issue')
        return renderParts(doc!, { locale: 'en-GB' })
      })
      await buildSite({ rendered, emails: [] }, site.config, dir)
      const first = await readFile(join(dir, 'index.html'), 'utf8')
      const second = await readFile(join(dir, 'page', '2', 'index.html'), 'utf8')
      const listed = (html: string) => [...html.matchAll(/<h[13][^>]*><a href="\/it-news\/issues\/([^/]+)\/">/g)].map((match) => match[1])
      // The newest leads the page once, then the next 49.
      expect(listed(first)).toHaveLength(50)
      expect(new Set(listed(first)).size).toBe(50)
      expect(listed(first)[0]).toBe('2004-05')
      expect(first).toContain('<h1 id="latest"><a href="/it-news/issues/2004-05/">')
      expect(listed(second)).toEqual(['2000-03', '2000-02', '2000-01'])
      expect(first).toContain('<a rel="next" href="/it-news/page/2/">Older issues →</a>')
      expect(second).toContain('<a rel="prev" href="/it-news/">← Newer issues</a>')
      // 53 threats at 25 a page; 106 patches at 100 a page, Windows 11 continuing onto page 2
      const threats = await readFile(join(dir, 'threats', 'page', '3', 'index.html'), 'utf8')
      expect(threats).toContain('Page 3 of 3')
      expect([...threats.matchAll(/<li>\s*<h2>Invoice scam number (\d+)<\/h2>/g)].map((match) => match[1])).toEqual(['3', '2', '1'])
      const patches = await readFile(join(dir, 'patches', 'page', '2', 'index.html'), 'utf8')
      expect(patches).toContain('<h2 id="product-windows-11">Windows 11 (continued)</h2>')
      expect(patches).toContain('<a href="/it-news/patches/#product-windows-11">Windows 11</a>')
      expect(await readFile(join(dir, 'tags', 'security', 'page', '2', 'index.html'), 'utf8')).toContain('Page 2 of 2')
      for (const file of (await listFiles(dir)).filter((name) => name.endsWith('.html')))
        expect((await stat(join(dir, file))).size, file).toBeLessThanOrEqual(100 * 1024)
      // This build has no emails, so only the "as it was emailed" links may dangle.
      expect((await brokenLinks(dir, site.config.settings.archive_url)).filter((link) => !link.includes('/email/'))).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
