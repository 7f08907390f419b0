import { readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fillWithFallbacks } from '../../src/email/personalize.ts'
import { brokenLinks, buildFixtureSite, listFiles, type BuiltSite } from './fixture.ts'

let site: BuiltSite
const read = (path: string) => readFile(join(site.dir, path), 'utf8')

beforeAll(async () => {
  site = await buildFixtureSite({ drafts: false })
})
afterAll(async () => {
  await rm(site.root, { recursive: true, force: true })
})

describe('archive site from the samples', () => {
  it('has every page of the contract', async () => {
    const files = new Set(await listFiles(site.dir))
    const expected = [
      'index.html',
      'issues/2026-08/index.html',
      'issues/2026-09/index.html',
      'issues/2026-10/index.html',
      'issues/2026-11/index.html',
      'email/2026-10/index.html',
      'email/2026-10-14-vpn-outage/index.html',
      'notices/index.html',
      'notices/2026-10-14-vpn-outage/index.html',
      'threats/index.html',
      'faq/index.html',
      'patches/index.html',
      'incidents/index.html',
      'tags/security/index.html',
      'tags/office-moves/index.html',
      'feed.xml',
      'search/index.html',
      'pagefind/pagefind.js',
      'pagefind/pagefind-ui.js',
      '404.html',
      'sitemap.xml',
    ]
    expect(expected.filter((path) => !files.has(path))).toEqual([])
  })

  it('serves each email exactly as built, personalization slots filled with their fallbacks', async () => {
    expect(site.pipeline.emails.length).toBe(5)
    // Neither the draft nor the issue in review becomes an email in dist/email.
    expect(site.pipeline.emails.map((email) => email.slug)).not.toContain('2026-12')
    expect(site.pipeline.emails.map((email) => email.slug)).not.toContain('2027-01')
    for (const email of site.pipeline.emails) expect(await read(`email/${email.slug}/index.html`)).toBe(fillWithFallbacks(email.html))
  })

  it('leaves drafts and issues in review out of every page, the feed, the sitemap and the search index', async () => {
    const files = await listFiles(site.dir)
    expect(files.filter((file) => file.includes('2026-12') || file.includes('2027-01'))).toEqual([])
    for (const file of files.filter((name) => /\.(html|xml)$/.test(name)))
      expect(await read(file), file).not.toMatch(/marmalade|holiday cover|tangerine|new year, new passwords/i)
  })

  it('has no broken internal link under the /it-news/ base path', async () => {
    expect(site.config.settings.archive_url).toBe('https://intranet.example.com/it-news/')
    const html = await read('issues/2026-10/index.html')
    expect(html).toContain('href="/it-news/issues/2026-09/"')
    expect(await brokenLinks(site.dir, site.config.settings.archive_url)).toEqual([])
  })

  it('links each issue to its older and newer neighbour', async () => {
    const html = await read('issues/2026-10/index.html')
    expect(html).toMatch(/<a rel="prev" href="\/it-news\/issues\/2026-09\/">← Previous: September/)
    expect(html).toMatch(/<a rel="next" href="\/it-news\/issues\/2026-11\/">Next: November/)
    expect(await read('issues/2026-08/index.html')).not.toContain('rel="prev"')
  })

  it('lays the issue out for the web with every section the email has', async () => {
    const html = await read('issues/2026-10/index.html')
    for (const heading of [
      'Multi-factor &#34;push bombing&#34;',
      'Patches and restarts',
      'How do I set up the authenticator app on a new phone?',
      'Where our projects stand',
      'It is Cybersecurity Awareness Month',
    ]) {
      expect(html).toContain(heading)
    }
    expect(html).not.toContain('mj-column')
  })

  it('takes issue text from our renderer only: Liquid-looking text in an issue is never run', async () => {
    const html = await read('issues/2026-08/index.html')
    expect(html).toContain('<code>{{ badge.name }}</code>')
    expect(html).toContain('badge template and {% raw %} stays as it is.')
  })

  it('shows personalization slots as a reader without fields gets them: the fallback', async () => {
    for (const path of ['issues/2026-08/index.html', 'email/2026-08/index.html']) {
      expect(await read(path), path).toContain('Hello colleague, this one is about printing.')
    }
    const files = await listFiles(site.dir)
    for (const file of files.filter((name) => /\.(html|xml)$/.test(name))) expect(await read(file), file).not.toContain('{{name')
  })

  it('groups the patch history by product and links every CVE to its public record', async () => {
    const html = await read('patches/index.html')
    const products = [...html.matchAll(/<h2 id="product-[^"]+">([^<]+)<\/h2>/g)].map((match) => match[1])
    expect(products).toEqual([...products].sort((a, b) => a!.localeCompare(b!)))
    expect(products).toContain('Windows 11')
    expect(html).toContain('<a class="cve" href="https://www.cve.org/CVERecord?id=CVE-2026-43572">CVE-2026-43572</a>')
  })

  it('lists incidents from issues and notices, newest first', async () => {
    const html = await read('incidents/index.html')
    const services = [...html.matchAll(/<li>\s*<h2>([^<]+)<\/h2>/g)].map((match) => match[1])
    expect(services.at(-1)).toBe('Second-floor printers')
    expect(services).toContain('VPN (remote access)')
  })

  it('has one feed entry per published issue and per notice revision, with absolute links that are also their ids', async () => {
    const feed = await read('feed.xml')
    const entries = [...feed.matchAll(/<entry>[\s\S]*?<link href="([^"]+)"\/>\s*<id>([^<]+)<\/id>/g)].map((match) => [match[1], match[2]])
    expect(entries.map(([link, id]) => link === id)).not.toContain(false)
    expect(entries.map(([link]) => link!).sort()).toEqual(
      [
        'issues/2026-08/',
        'issues/2026-09/',
        'issues/2026-10/',
        'issues/2026-11/',
        'notices/2026-10-14-vpn-outage/#update-1',
        'notices/2026-10-14-vpn-outage/#update-2',
        'notices/2026-10-14-vpn-outage/#update-3',
      ].map((path) => `https://intranet.example.com/it-news/${path}`),
    )
  })

  it('lists every published page in the sitemap', async () => {
    const sitemap = await read('sitemap.xml')
    for (const path of ['', 'issues/2026-08/', 'notices/2026-10-14-vpn-outage/', 'tags/printing/', 'email/2026-09/', 'patches/']) {
      expect(sitemap).toContain(`<loc>https://intranet.example.com/it-news/${path}</loc>`)
    }
  })

  it('keeps every page under 100 KB and needs JavaScript only for search', async () => {
    for (const file of (await listFiles(site.dir)).filter((name) => name.endsWith('.html') && !name.startsWith('pagefind/'))) {
      expect((await stat(join(site.dir, file))).size, file).toBeLessThanOrEqual(100 * 1024)
      if (file !== 'search/index.html' && !file.startsWith('email/')) expect(await read(file), file).not.toContain('<script')
    }
  })
})
