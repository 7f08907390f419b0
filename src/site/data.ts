import type { Settings } from '../config.ts'
import type { RenderedDoc, RenderedIssueParts, RenderedNoticeParts, RenderedPatch, Prose } from '../markdown/parts.ts'

/** A titled link inside the archive; `href` already carries the base path. */
export interface Link {
  title: string
  href: string
  dateLabel: string
  draft: boolean
}

/** A CVE with the public advisory page it links to. */
export interface CveLink {
  id: string
  href: string
}

/** A patch as the site shows it: the rendered patch plus advisory links. */
export type PatchView = RenderedPatch & { cveLinks: CveLink[] }

/** One issue or notice, ready for its archive page. */
export interface DocView {
  kind: 'issue' | 'notice'
  slug: string
  title: string
  date: string
  dateLabel: string
  draft: boolean
  /** `Issue 13` or `Service notice`. */
  kicker: string
  summary: Prose
  sections: { title?: string; id: string; html: string }[]
  issue?: Omit<RenderedIssueParts, 'patches'> & { patches: PatchView[] }
  notice?: RenderedNoticeParts
  tags: { name: string; href: string }[]
  /** Path of the page below the site root, e.g. `issues/2026-10/`. */
  path: string
  href: string
  emailHref: string
  prev?: Link
  next?: Link
}

/** A row of the patch history. */
export interface PatchRow extends PatchView {
  source: Link
  date: string
}

/** An incident from an issue's incident list or from a service notice. */
export interface IncidentRow {
  service: string
  start: string
  when: string
  impact: Prose
  cause?: Prose
  fix?: Prose
  stateLabel?: string
  source: Link & { kind: 'issue' | 'notice' }
}

/** One entry of the Atom feed. */
export interface FeedEntry {
  title: string
  path: string
  updated: Date
  summary: Prose
}

/** Everything the archive templates read, computed once from the rendered documents. */
export interface SiteData {
  title: string
  organisation: string
  language: string
  brand: Settings['brand']
  contact: Settings['contact']
  /** Absolute URL of the archive, ending in `/`. */
  archiveUrl: string
  /** Path the site lives under, e.g. `/it-news/`; every internal link starts with it. */
  base: string
  /** Issues, newest first. */
  issues: DocView[]
  /** Notices, newest first. */
  notices: DocView[]
  threats: (NonNullable<RenderedIssueParts['threat']> & { source: Link })[]
  faq: (NonNullable<RenderedIssueParts['topQuestion']> & { source: Link })[]
  patchGroups: { product: string; id: string; rows: PatchRow[] }[]
  incidents: IncidentRow[]
  tags: { name: string; slug: string; href: string; issues: DocView[] }[]
  feed: FeedEntry[]
  /** Newest publication date, for the feed's `<updated>`. */
  updated: Date
  /** Pages outside Eleventy's collections (the emails), as paths below the site root. */
  extraPaths: string[]
}

/** Public advisory page of a CVE. */
export function cveUrl(id: string): string {
  return `https://www.cve.org/CVERecord?id=${encodeURIComponent(id)}`
}

/** The path the archive lives under, taken from `archive_url` (always starts and ends with `/`). */
export function basePath(settings: Settings): string {
  return new URL(settings.archive_url).pathname.replace(/\/?$/, '/')
}

/** A tag as it appears in a URL: lower case, runs of other characters become `-`. */
export function tagSlug(tag: string): string {
  return tag.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'tag'
}

/** Build the archive's data from the rendered documents (drafts are shown only if they were rendered). */
export function siteData(rendered: readonly RenderedDoc[], settings: Settings): SiteData {
  const base = basePath(settings)
  const newestFirst = [...rendered].sort((a, b) => b.date.localeCompare(a.date) || b.slug.localeCompare(a.slug))
  const issues = newestFirst.filter((doc) => doc.kind === 'issue').map((doc) => docView(doc, base))
  const notices = newestFirst.filter((doc) => doc.kind === 'notice').map((doc) => docView(doc, base))
  linkNeighbours(issues)
  linkNeighbours(notices)
  const published = [...issues, ...notices].filter((view) => !view.draft).sort((a, b) => b.date.localeCompare(a.date))
  return {
    title: `${settings.organisation} IT news`,
    organisation: settings.organisation,
    language: settings.language,
    brand: settings.brand,
    contact: settings.contact,
    archiveUrl: settings.archive_url,
    base,
    issues,
    notices,
    threats: issues.flatMap((view) => (view.issue?.threat ? [{ ...view.issue.threat, source: linkTo(view) }] : [])),
    faq: issues.flatMap((view) => (view.issue?.topQuestion ? [{ ...view.issue.topQuestion, source: linkTo(view) }] : [])),
    patchGroups: patchGroups(issues),
    incidents: incidents(issues, notices),
    tags: tags(issues, base),
    feed: published.map((view) => ({ title: view.title, path: view.path, updated: new Date(`${view.date}T00:00:00Z`), summary: view.summary })),
    updated: new Date(`${published[0]?.date ?? '1970-01-01'}T00:00:00Z`),
    extraPaths: [...issues, ...notices].filter((view) => !view.draft).map((view) => `email/${view.slug}/`),
  }
}

/** One rendered document as its archive page sees it. */
export function docView(doc: RenderedDoc, base: string): DocView {
  const path = `${doc.kind === 'issue' ? 'issues' : 'notices'}/${doc.slug}/`
  return {
    kind: doc.kind,
    slug: doc.slug,
    title: doc.title,
    date: doc.date,
    dateLabel: doc.dateLabel,
    draft: doc.status === 'draft',
    kicker: doc.kind === 'issue' ? `Issue ${doc.issue?.number}` : 'Service notice',
    summary: doc.summary,
    sections: doc.sections.map(({ title, id, html }) => ({ title, id, html })),
    issue: doc.issue && { ...doc.issue, patches: doc.issue.patches.map(patchView) },
    notice: doc.notice,
    tags: (doc.issue?.tags ?? []).map((name) => ({ name, href: `${base}tags/${tagSlug(name)}/` })),
    path,
    href: base + path,
    emailHref: `${base}email/${doc.slug}/`,
  }
}

function patchView(patch: RenderedPatch): PatchView {
  return { ...patch, cveLinks: patch.cves.map((id) => ({ id, href: cveUrl(id) })) }
}

function linkTo(view: DocView): Link {
  return { title: view.title, href: view.href, dateLabel: view.dateLabel, draft: view.draft }
}

// Lists are newest first: "previous" is the older neighbour, "next" the newer one.
function linkNeighbours(views: DocView[]): void {
  views.forEach((view, i) => {
    const older = views[i + 1]
    const newer = views[i - 1]
    if (older) view.prev = linkTo(older)
    if (newer) view.next = linkTo(newer)
  })
}

function patchGroups(issues: DocView[]): SiteData['patchGroups'] {
  const groups = new Map<string, PatchRow[]>()
  for (const view of issues) {
    for (const patch of view.issue?.patches ?? []) {
      const product = patch.product ?? 'Other'
      const rows = groups.get(product) ?? []
      rows.push({ ...patch, source: linkTo(view), date: view.date })
      groups.set(product, rows)
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([product, rows]) => ({ product, id: `product-${tagSlug(product)}`, rows }))
}

function incidents(issues: DocView[], notices: DocView[]): IncidentRow[] {
  const fromIssues = issues.flatMap((view) =>
    (view.issue?.incidents ?? []).map((incident) => ({ ...incident, source: { ...linkTo(view), kind: 'issue' as const } })),
  )
  const fromNotices = notices.flatMap((view) => {
    const notice = view.notice
    if (!notice) return []
    // Updates are newest first: the last one is when the incident was first reported.
    const oldest = notice.updates.at(-1)
    const newest = notice.updates[0]
    return [
      {
        service: notice.service,
        start: oldest?.time ?? view.date,
        when: oldest && newest && oldest !== newest ? `${oldest.timeLabel} – ${newest.timeLabel}` : (oldest?.timeLabel ?? view.dateLabel),
        impact: notice.impact,
        stateLabel: notice.stateLabel,
        source: { ...linkTo(view), kind: 'notice' as const },
      },
    ]
  })
  return [...fromIssues, ...fromNotices].sort((a, b) => b.start.localeCompare(a.start))
}

function tags(issues: DocView[], base: string): SiteData['tags'] {
  const byTag = new Map<string, { name: string; issues: DocView[] }>()
  for (const view of issues) {
    for (const tag of view.tags) {
      const slug = tagSlug(tag.name)
      const entry = byTag.get(slug) ?? { name: tag.name, issues: [] }
      entry.issues.push(view)
      byTag.set(slug, entry)
    }
  }
  return [...byTag.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([slug, { name, issues }]) => ({ name, slug, href: `${base}tags/${slug}/`, issues }))
}
