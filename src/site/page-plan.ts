import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { hashOf } from '../project/cache.ts'
import { paginate, type SiteData } from './data.ts'

/**
 * Every page of the archive before it is rendered: which page template makes it, where it goes and what it is made
 * from, with a key that changes whenever the page could. A build renders only the pages whose key changed since the
 * last build into the same folder and keeps the others' files as they were.
 */
export interface PlannedPage {
  /** The page template's name in src/site/pages (without `.liquid`). */
  template: string
  /** Below the site root, as links point to it: `issues/2026-10/`, `feed.xml`, `` for the home page. */
  path: string
  /** The file written: `issues/2026-10/index.html`. */
  file: string
  /** What the template gets as its pagination item. */
  item: unknown
  /** Equal keys mean the page's file would come out byte for byte the same; none when that cannot be told. */
  key?: string
}

/** The page templates of src/site/pages, each paginating over its list in `render`. */
export const pageTemplates = [
  'home',
  'issue',
  'notice',
  'notices',
  'threats',
  'faq',
  'patches',
  'incidents',
  'projects',
  'priorities',
  'tag',
  'department',
  'departments',
  'numbers',
  'feedback',
  'status',
  'search',
  'feed',
  'not-found',
  'sitemap',
] as const

type PageTemplate = (typeof pageTemplates)[number]

// Issues listed per page of the home page and its `/page/N/` continuations.
const homePerPage = 50

/** Where a page's file goes below the site root. */
export function pageFile(path: string): string {
  return path === '' || path.endsWith('/') ? `${path}index.html` : path
}

/**
 * Plan every page of the archive from its data. `salt` covers what every page depends on that is not in the site data
 * (the program, the layouts, the settings); `templatesDir` and `layoutsDir` are read to learn which parts of the site
 * data each page template reads, through the layouts it includes.
 */
export async function planPages(site: SiteData, templatesDir: string, layoutsDir: string, salt: string): Promise<PlannedPage[]> {
  const lists: Omit<Record<PageTemplate, { path: string; item: unknown }[]>, 'sitemap'> = {
    home: paginate(site.issues, homePerPage, site.base, '').map(withPath),
    issue: site.issues.map(withPath),
    notice: site.notices.map(withPath),
    notices: site.noticePages.map(withPath),
    threats: site.threatPages.map(withPath),
    faq: site.faqPages.map(withPath),
    patches: site.patchPages.map(withPath),
    incidents: site.incidentPages.map(withPath),
    projects: site.projectPages.map(withPath),
    priorities: site.priorityPages.map(withPath),
    tag: site.tagPages.map(withPath),
    department: site.departmentPages.map(withPath),
    departments: site.departments.length > 0 ? [single('departments/')] : [],
    numbers: [single('numbers/')],
    feedback: [single('feedback/')],
    status: [single('status/')],
    search: [single('search/')],
    feed: [single('feed.xml')],
    'not-found': [single('404.html')],
  }
  // The sitemap lists every page a reader may find (not drafts, the feed or the 404 page) and the emails.
  const unlisted = new Set(['feed', 'not-found'])
  const listed = Object.entries(lists).flatMap(([template, entries]) =>
    unlisted.has(template) ? [] : entries.filter(({ item }) => !(item as { draft?: boolean }).draft).map(({ path }) => path),
  )
  const sitemap = [{ path: 'sitemap.xml', item: { path: 'sitemap.xml', paths: [...listed, ...site.extraPaths] } }]
  const reads = new SiteReads(site)
  const pages: PlannedPage[] = []
  for (const [template, entries] of [...Object.entries(lists), ['sitemap', sitemap] as const]) {
    const uses = await templateUses(join(templatesDir, `${template}.liquid`), layoutsDir)
    const shared = uses === 'everything' ? undefined : hashOf(salt, template, ...uses.map((path) => `${path}=${reads.json(path)}`))
    for (const { path, item } of entries) {
      // A template that reads what cannot be followed gets no key: it is always rendered.
      pages.push({ template, path, file: pageFile(path), item, key: shared && hashOf(shared, JSON.stringify(item)) })
    }
  }
  return pages
}

/** What Eleventy is given as `render`: for each page template, the items of the pages to render now (maybe none). */
export function renderLists(pages: readonly PlannedPage[]): Record<string, unknown[]> {
  const lists: Record<string, unknown[]> = Object.fromEntries(pageTemplates.map((template) => [renderName(template), []]))
  for (const page of pages) lists[renderName(page.template)]!.push(page.item)
  return lists
}

/** The name a template's list has under `render` (Liquid paths cannot hold `-`). */
export function renderName(template: string): string {
  return template.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())
}

function withPath<T extends { path: string }>(item: T): { path: string; item: T } {
  return { path: item.path, item }
}

function single(path: string): { path: string; item: { path: string } } {
  return { path, item: { path } }
}

/** The site data's values as JSON by path (`status.open`, `departments.size`), each computed once per build. */
class SiteReads {
  private readonly cache = new Map<string, string>()
  constructor(private readonly site: SiteData) {}

  json(path: string): string {
    let json = this.cache.get(path)
    if (json === undefined) {
      const [top, below] = path.split('.') as [string, string | undefined]
      const value: unknown = (this.site as unknown as Record<string, unknown>)[top]
      json = JSON.stringify(below === undefined ? value : member(value, below)) ?? 'undefined'
      this.cache.set(path, json)
    }
    return json
  }
}

/** `value.name` as Liquid reads it: `size` of a list or string is its length. */
function member(value: unknown, name: string): unknown {
  if (name === 'size' && (Array.isArray(value) || typeof value === 'string')) return value.length
  if (name === 'first' && Array.isArray(value)) return value[0]
  if (name === 'last' && Array.isArray(value)) return value.at(-1)
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined
}

/**
 * Which parts of the site data a page template reads, through every layout it includes: paths such as `base`,
 * `status.open` or `departments.size`, sorted. `everything` when it reads what cannot be followed: `site` as a whole,
 * an include whose name is not written out, a `{% liquid %}` block, or Eleventy's pagination and collections (which
 * hold the other pages).
 */
export async function templateUses(templateFile: string, layoutsDir: string): Promise<string[] | 'everything'> {
  const paths = new Set<string>()
  const seen = new Set<string>()
  const pending = [templateFile]
  while (pending.length > 0) {
    const file = pending.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    const text = await readFile(file, 'utf8').catch(() => '')
    for (const [tag] of text.matchAll(/{{[\s\S]*?}}|{%[\s\S]*?%}|^layout:.*$/gm)) {
      if (/\b(pagination|collections)\b/.test(tag) || /^{%-?\s*liquid\b/.test(tag)) return 'everything'
      if (/{%-?\s*(include|render|layout)\b/.test(tag) || /^layout:/.test(tag)) {
        const name = /^{%-?\s*\w+\s+(['"])([^'"]+)\1/.exec(tag)?.[2] ?? /^layout:\s*(['"]?)([^'"\s]+)\1\s*$/.exec(tag)?.[2]
        if (!name) return 'everything'
        pending.push(join(layoutsDir, name))
      }
      for (const match of tag.matchAll(/\bsite\b(\.\w+(?:\.\w+)?)?/g)) {
        if (!match[1]) return 'everything'
        paths.add(match[1].slice(1))
      }
    }
  }
  return [...paths].sort()
}
