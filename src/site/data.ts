import { numbersPage, type NumbersPage } from './numbers-page.ts'
import { blockOrder, type IssueBlock, type Settings } from '../config.ts'
import { audienceLabel, departmentNames } from '../content/audience.ts'
import { contactLinks, type ContactLinks } from '../content/contact-links.ts'
import type { Departments } from '../content/departments.ts'
import { answersOf, type FeedbackCounts } from '../content/feedback.ts'
import { isPublished } from '../content/publish.ts'
import { stateLabels } from '../content/revisions.ts'
import type { NoticeKind, NoticeState } from '../content/types.ts'
import { addressOf } from '../content/address.ts'
import { noticeCalendar, zonedToUtc } from '../email/calendar.ts'
import {
  kickerOf,
  type RenderedDoc,
  type RenderedView,
  type RenderedIssueParts,
  type RenderedNoticeParts,
  type RenderedPatch,
  type RenderedUpdate,
  type Prose,
} from '../markdown/parts.ts'
import { priorityHistory, projectStories, type PriorityListing, type ProjectStory } from './history.ts'
import { feedbackChart } from './feedback-chart.ts'

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

/** Something written for some departments, labelled for the archive (which shows everything): `For Finance and HR`. */
export type Labelled<T> = T & { forLabel?: string }

/** A patch as the site shows it: the rendered patch plus advisory links. */
export type PatchView = Labelled<RenderedPatch> & { cveLinks: CveLink[] }

/** One issue or notice, ready for its archive page. */
export interface DocView {
  kind: 'issue' | 'notice'
  slug: string
  title: string
  date: string
  dateLabel: string
  /** Not approved yet: shown only in a `--drafts` build, with a banner. */
  draft: boolean
  status: RenderedDoc['status']
  /** `Issue 13`, `Service notice` or `Planned maintenance`. */
  kicker: string
  summary: Prose
  sections: Labelled<{ title?: string; id: string; html: string; for?: string[] }>[]
  issue?: Omit<RenderedIssueParts, 'patches' | 'projects' | 'incidents'> & {
    patches: PatchView[]
    projects: Labelled<RenderedIssueParts['projects'][number]>[]
    incidents: Labelled<RenderedIssueParts['incidents'][number]>[]
  }
  notice?: RenderedNoticeParts
  /** The departments a notice affects, named: `Finance and HR`; absent: everyone. */
  departments?: string
  tags: { name: string; href: string }[]
  /** Path of the page below the site root, e.g. `issues/2026-10/`. */
  path: string
  href: string
  emailHref: string
  /** A maintenance's calendar file next to its page. */
  calendarHref?: string
  prev?: Link
  next?: Link
  /** What readers answered to its feedback buttons, once someone has. */
  feedback?: FeedbackView
}

/** An issue's answers as its page shows them: the whole issue, and each section that has answers. */
export interface FeedbackView {
  answers: number
  yes: number
  no: number
  comments: number
  sections: { id: string; title: string; answers: number; yes: number }[]
}

/** One issue's row on `/feedback/`. */
export interface FeedbackRow extends FeedbackView {
  number: number
  source: Link
  /** Rounded share of answers that said it helped. */
  percent: number
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
  /** `For Finance and HR`: the incident was written for, or the notice affects, some departments only. */
  forLabel?: string
  source: Link & { kind: 'issue' | 'notice' }
}

/** One page of a long list: `/threats/`, then `/threats/page/2/`, …, so no page grows past the 100 KB budget. */
export interface ListPage<T> {
  items: T[]
  /** 1-based. */
  number: number
  count: number
  /** Below the site root, e.g. `threats/page/2/`. */
  path: string
  prev?: string
  next?: string
}

/** A product's patches on one page of the patch history; a long product history continues on the next page. */
export interface PatchGroup {
  product: string
  id: string
  rows: PatchRow[]
  continued: boolean
}

/** One open notice as `/status/` and `/status.json` show it. */
export interface StatusEntry {
  slug: string
  title: string
  kind: NoticeKind
  state: NoticeState
  stateLabel: string
  service: string
  /** When the latest update was written, as an instant (ISO 8601, UTC). */
  updated: string
  updatedLabel: string
  next_update: string | null
  nextUpdateLabel?: string
  windowLabel?: string
  /** The departments the notice affects, named: `Finance and HR`; absent: everyone. */
  departments?: string
  latest?: RenderedUpdate
  /** Absolute URL of the notice's page. */
  url: string
  href: string
}

/** Something written for a department, as its list on the archive links to it. */
export interface DepartmentEntry {
  /** `Section`, `Patch`, `Project`, `Incident`, or the notice's kicker. */
  what: string
  title: string
  /** The place on its page, e.g. `/it-news/issues/2026-11/#new-expense-app`. */
  href: string
  source: Link
  date: string
}

/** A department on `/departments/`: its IT contact and the newest things written for it. */
export interface DepartmentView {
  id: string
  name: string
  contact?: ContactLinks
  /** Its own page, listing everything written for it. */
  href: string
  /** How many things are written for it. */
  count: number
  /** The newest few of them. */
  latest: DepartmentEntry[]
}

/** A file the site build writes as it is (not through Eleventy), by path below the site root. */
export interface SiteFile {
  path: string
  content: string
}

/** One entry of the Atom feed; a notice has one per revision, its path ending in `#update-N` (also its id). */
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
  /** The order of an issue's parts, as in its email (`order:` in the settings). */
  order: IssueBlock[]
  /** Absolute URL of the archive, ending in `/`. */
  archiveUrl: string
  /** Path the site lives under, e.g. `/it-news/`; every internal link starts with it. */
  base: string
  /** Issues, newest first. */
  issues: DocView[]
  /** Notices, newest first. */
  notices: DocView[]
  noticePages: ListPage<DocView>[]
  threatPages: ListPage<NonNullable<RenderedIssueParts['threat']> & { source: Link }>[]
  faqPages: ListPage<NonNullable<RenderedIssueParts['topQuestion']> & { source: Link }>[]
  patchPages: ListPage<PatchGroup>[]
  /** Every product with a link to the page and heading where its patches start. */
  products: { product: string; href: string }[]
  incidentPages: ListPage<IncidentRow>[]
  /** `/numbers/`: every issue's figures as charts and tables. */
  numbers: NumbersPage
  /** Every project's story across the issues, the most recently reported first. */
  projectPages: ListPage<ProjectStory>[]
  /** Every issue's list of priorities, newest first, with what moved since the list before. */
  priorityPages: ListPage<PriorityListing>[]
  /** One list page per tag and page number. */
  tagPages: (ListPage<DocView> & { tag: string })[]
  feed: FeedEntry[]
  /** Newest feed entry, for the feed's `<updated>`. */
  updated: Date
  /** Each department of departments.yml (none without it), in its order there. */
  departments: DepartmentView[]
  /** One list page per department and page number: everything written for it, newest first. */
  departmentPages: (ListPage<DepartmentEntry> & { department: DepartmentView })[]
  /** Published notices that are not over: happening now, and maintenance still to come. */
  status: { open: StatusEntry[]; planned: StatusEntry[] }
  /** `status.json` and each maintenance's `.ics`. */
  files: SiteFile[]
  /** Pages outside Eleventy's collections (the emails), as paths below the site root. */
  extraPaths: string[]
  /** `/feedback/`: every issue with answers, oldest first, and the chart of them. */
  feedback: { rows: FeedbackRow[]; chart: string }
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
  return (
    tag
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'tag'
  )
}

/** What the archive shows besides the documents: departments.yml (whom each part is for, `/departments/`) and readers' answers by slug (`content/feedback/`). */
export interface SiteContext {
  departments?: Departments
  feedback?: ReadonlyMap<string, FeedbackCounts>
}

/** Build the archive's data from the rendered documents (drafts are shown only if they were rendered) and their context. */
export function siteData(rendered: readonly RenderedView[], settings: Settings, { departments, feedback }: SiteContext = {}): SiteData {
  const base = basePath(settings)
  const newestFirst = [...rendered].sort((a, b) => b.date.localeCompare(a.date) || b.slug.localeCompare(a.slug))
  const issues = newestFirst.filter((doc) => doc.kind === 'issue').map((doc) => docView(doc, base, departments, feedback?.get(doc.slug)))
  const notices = newestFirst.filter((doc) => doc.kind === 'notice').map((doc) => docView(doc, base, departments))
  linkNeighbours(issues)
  linkNeighbours(notices)
  const published = [...issues, ...notices].filter((view) => !view.draft).sort((a, b) => b.date.localeCompare(a.date))
  const feed = feedEntries(published, settings.timezone)
  const history = issues.map((view) => ({
    source: { ...linkTo(view), date: view.date },
    projects: view.issue?.projects ?? [],
    priorities: view.issue?.priorities,
  }))
  const status = statusEntries(notices, settings)
  const calendars = newestFirst.flatMap((doc) => {
    const ics = isPublished(doc) ? noticeCalendar(doc, settings) : undefined
    return ics ? [{ path: addressOf(doc).calendar, content: ics }] : []
  })
  return {
    title: `${settings.organisation} IT news`,
    organisation: settings.organisation,
    language: settings.language,
    brand: settings.brand,
    contact: settings.contact,
    order: blockOrder(settings.order),
    archiveUrl: settings.archive_url,
    base,
    issues,
    notices,
    noticePages: paginate(notices, perPage.notices, base, 'notices/'),
    threatPages: paginate(
      issues.flatMap((view) => (view.issue?.threat ? [{ ...view.issue.threat, source: linkTo(view) }] : [])),
      perPage.threats,
      base,
      'threats/',
    ),
    faqPages: paginate(
      issues.flatMap((view) => (view.issue?.topQuestion ? [{ ...view.issue.topQuestion, source: linkTo(view) }] : [])),
      perPage.faq,
      base,
      'faq/',
    ),
    ...patchPages(issues, base),
    incidentPages: paginate(incidents(issues, notices), perPage.incidents, base, 'incidents/'),
    numbers: numbersPage(issues),
    projectPages: paginate(projectStories(history), perPage.projects, base, 'projects/'),
    priorityPages: paginate(priorityHistory(history), perPage.priorities, base, 'priorities/'),
    tagPages: tags(issues).flatMap(({ name, slug, issues: tagged }) =>
      paginate(tagged, perPage.tag, base, `tags/${slug}/`).map((page) => ({ ...page, tag: name })),
    ),
    ...departmentPages(published, departments, base),
    feed,
    updated: new Date(Math.max(0, ...feed.map((entry) => entry.updated.getTime()))),
    status,
    files: [{ path: 'status.json', content: `${JSON.stringify(statusJson(status), null, 2)}\n` }, ...calendars],
    extraPaths: [...issues, ...notices].filter((view) => !view.draft).map((view) => addressOf(view).email),
    feedback: feedbackPage(issues),
  }
}

/** `/feedback/`: the issues with answers, oldest first, as table rows and as a chart of the share that found each useful. */
function feedbackPage(issues: readonly DocView[]): SiteData['feedback'] {
  const rows = issues
    .flatMap((view): FeedbackRow[] =>
      view.feedback && view.issue
        ? [{ ...view.feedback, number: view.issue.number, source: linkTo(view), percent: Math.round((100 * view.feedback.yes) / view.feedback.answers) }]
        : [],
    )
    .reverse()
  const chart = feedbackChart(
    rows.map((row) => ({ label: String(row.number), answers: row.answers, yes: row.yes })),
    'Share of answers that found each issue useful, oldest issue first',
  )
  return { rows, chart }
}

/** An issue's counts as its page shows them; nothing until someone has answered. */
function feedbackView(doc: RenderedView, counts: FeedbackCounts | undefined): FeedbackView | undefined {
  if (!counts || answersOf(counts) === 0) return undefined
  const titles = new Map(doc.sections.map((section) => [section.id, section.title ?? section.id]))
  return {
    answers: answersOf(counts),
    yes: counts.yes,
    no: counts.no,
    comments: counts.comments,
    sections: counts.sections.flatMap((section) =>
      titles.has(section.id) && answersOf(section) > 0
        ? [{ id: section.id, title: titles.get(section.id)!, answers: answersOf(section), yes: section.yes }]
        : [],
    ),
  }
}

/**
 * One rendered document as its archive page sees it: what is for some departments is labelled with their names, and
 * the answers to its feedback buttons are shown when there are any.
 */
export function docView(doc: RenderedView, base: string, departments?: Departments, counts?: FeedbackCounts): DocView {
  const address = addressOf(doc)
  const label = <T extends { for?: string[] }>(item: T): Labelled<T> => ({ ...item, forLabel: audienceLabel(item.for, departments) })
  const affected = doc.notice?.departments
  return {
    kind: doc.kind,
    slug: doc.slug,
    title: doc.title,
    date: doc.date,
    dateLabel: doc.dateLabel,
    draft: !isPublished(doc),
    status: doc.status,
    kicker: kickerOf(doc),
    summary: doc.summary,
    sections: doc.sections.map(({ title, id, html, for: ids }) => label({ title, id, html, for: ids })),
    issue: doc.issue && {
      ...doc.issue,
      patches: doc.issue.patches.map((patch) => label(patchView(patch))),
      projects: doc.issue.projects.map(label),
      incidents: doc.issue.incidents.map(label),
    },
    notice: doc.notice,
    departments: affected && affected.length > 0 ? departmentNames(affected, departments) : undefined,
    tags: (doc.issue?.tags ?? []).map((name) => ({ name, href: `${base}tags/${tagSlug(name)}/` })),
    path: address.page,
    href: base + address.page,
    emailHref: base + address.email,
    calendarHref: doc.notice?.window && isPublished(doc) ? base + address.calendar : undefined,
    feedback: feedbackView(doc, counts),
  }
}

/** Issues once; a notice once per revision, so feed readers see each update (the id ends in `#update-N` and never changes). */
function feedEntries(published: readonly DocView[], timeZone: string): FeedEntry[] {
  return published
    .flatMap((view): FeedEntry[] => {
      const updates = view.notice?.updates ?? []
      if (updates.length === 0) return [{ title: view.title, path: view.path, updated: new Date(`${view.date}T00:00:00Z`), summary: view.summary }]
      return updates.map((update) => ({
        title: update.state ? `[${stateLabels[update.state]}] ${view.title}` : view.title,
        path: addressOf(view).update(update.revision),
        updated: zonedToUtc(update.time, timeZone),
        summary: update.text,
      }))
    })
    .sort((a, b) => b.updated.getTime() - a.updated.getTime())
}

/** Published notices not yet resolved or completed, latest update first; maintenance still to start is `planned`. */
function statusEntries(notices: readonly DocView[], settings: Settings): SiteData['status'] {
  const open = notices.filter((view) => view.notice && !view.draft && !view.notice.closed)
  const entries = open.map((view): [StatusEntry, boolean] => {
    const notice = view.notice!
    const entry: StatusEntry = {
      slug: view.slug,
      title: view.title,
      kind: notice.noticeKind,
      state: notice.state,
      stateLabel: notice.stateLabel,
      service: notice.service,
      updated: zonedToUtc(notice.latest?.time ?? `${view.date}T00:00`, settings.timezone).toISOString(),
      updatedLabel: notice.latest?.timeLabel ?? view.dateLabel,
      next_update: notice.nextUpdate ? zonedToUtc(notice.nextUpdate, settings.timezone).toISOString() : null,
      nextUpdateLabel: notice.nextUpdateLabel,
      windowLabel: notice.window?.label,
      departments: view.departments,
      latest: notice.latest,
      url: `${settings.archive_url}${view.path}`,
      href: view.href,
    }
    return [entry, notice.state === 'scheduled']
  })
  entries.sort(([a], [b]) => b.updated.localeCompare(a.updated))
  return { open: entries.flatMap(([entry, planned]) => (planned ? [] : [entry])), planned: entries.flatMap(([entry, planned]) => (planned ? [entry] : [])) }
}

/** `/status.json`: every open notice, for intranet widgets. */
function statusJson(status: SiteData['status']): unknown[] {
  return [...status.open, ...status.planned].map(({ slug, title, kind, state, service, updated, next_update, url }) => ({
    slug,
    title,
    kind,
    state,
    service,
    updated,
    next_update,
    url,
  }))
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

// Items per page of each long list, sized so a page stays well under 100 KB with long entries.
const perPage = { notices: 50, threats: 25, faq: 40, patches: 100, incidents: 50, tag: 50, department: 50, projects: 25, priorities: 25 }

// How many of a department's newest entries `/departments/` shows; its own page lists them all.
const latestPerDepartment = 5

/** Split a list into pages: the first at `root`, the rest at `root` + `page/N/`; an empty list still has its first page. */
export function paginate<T>(items: readonly T[], size: number, base: string, root: string): ListPage<T>[] {
  const count = Math.max(1, Math.ceil(items.length / size))
  const path = (number: number) => (number === 1 ? root : `${root}page/${number}/`)
  return Array.from({ length: count }, (_, i) => ({
    items: items.slice(i * size, (i + 1) * size),
    number: i + 1,
    count,
    path: path(i + 1),
    prev: i > 0 ? base + path(i) : undefined,
    next: i + 1 < count ? base + path(i + 2) : undefined,
  }))
}

// Rows are grouped by product (A–Z), newest first within a product, then cut into pages of equal length.
function patchPages(issues: DocView[], base: string): Pick<SiteData, 'patchPages' | 'products'> {
  const byProduct = new Map<string, PatchRow[]>()
  for (const view of issues) {
    for (const patch of view.issue?.patches ?? []) {
      const product = patch.product ?? 'Other'
      const rows = byProduct.get(product) ?? []
      rows.push({ ...patch, source: linkTo(view), date: view.date })
      byProduct.set(product, rows)
    }
  }
  const products = [...byProduct.keys()].sort((a, b) => a.localeCompare(b))
  const flat = products.flatMap((product) => byProduct.get(product)!.map((row) => ({ product, row })))
  const pages = paginate(flat, perPage.patches, base, 'patches/')
  const starts: SiteData['products'] = []
  const patchPages = pages.map((page) => {
    const groups: PatchGroup[] = []
    for (const { product, row } of page.items) {
      let group = groups.at(-1)
      if (group?.product !== product) {
        const continued = page.number > 1 && groups.length === 0 && pages[page.number - 2]!.items.at(-1)?.product === product
        group = { product, id: `product-${tagSlug(product)}`, rows: [], continued }
        groups.push(group)
        if (!continued) starts.push({ product, href: `${base}${page.path}#${group.id}` })
      }
      group.rows.push(row)
    }
    return { ...page, items: groups }
  })
  return { patchPages, products: starts }
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
        forLabel: view.departments && `For ${view.departments}`,
        source: { ...linkTo(view), kind: 'notice' as const },
      },
    ]
  })
  return [...fromIssues, ...fromNotices].sort((a, b) => b.start.localeCompare(a.start))
}

function tags(issues: DocView[]): { name: string; slug: string; issues: DocView[] }[] {
  const byTag = new Map<string, { name: string; issues: DocView[] }>()
  for (const view of issues) {
    for (const tag of view.tags) {
      const slug = tagSlug(tag.name)
      const entry = byTag.get(slug) ?? { name: tag.name, issues: [] }
      entry.issues.push(view)
      byTag.set(slug, entry)
    }
  }
  return [...byTag.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([slug, { name, issues }]) => ({ name, slug, issues }))
}

/**
 * `/departments/` and each department's own pages: its IT contact, and every published section, patch, project,
 * incident and notice written for it, newest first (drafts never: a `--drafts` build shows them only on their own pages).
 */
function departmentPages(published: readonly DocView[], departments: Departments | undefined, base: string): Pick<SiteData, 'departments' | 'departmentPages'> {
  if (!departments) return { departments: [], departmentPages: [] }
  const entries = new Map(departments.list.map((department) => [department.id, [] as DepartmentEntry[]]))
  for (const view of published) {
    const source = linkTo(view)
    const add = (ids: readonly string[] | undefined, what: string, title: string, anchor?: string) =>
      ids?.forEach((id) => entries.get(id)?.push({ what, title, href: anchor ? `${view.href}#${anchor}` : view.href, source, date: view.date }))
    for (const section of view.sections) add(section.for, 'Section', section.title ?? view.title, section.id)
    for (const patch of view.issue?.patches ?? []) add(patch.for, 'Patch', patch.title, 'patches')
    for (const project of view.issue?.projects ?? []) add(project.for, 'Project', project.name, 'projects')
    for (const incident of view.issue?.incidents ?? []) add(incident.for, 'Incident', incident.service, 'incidents')
    add(view.notice?.departments, view.kicker, view.title)
  }
  const views = departments.list.map((department): DepartmentView => {
    const all = entries.get(department.id)!
    return {
      id: department.id,
      name: department.name,
      contact: department.contact && contactLinks(department.contact),
      href: `${base}departments/${department.id}/`,
      count: all.length,
      latest: all.slice(0, latestPerDepartment),
    }
  })
  return {
    departments: views,
    departmentPages: views.flatMap((view) =>
      paginate(entries.get(view.id)!, perPage.department, base, `departments/${view.id}/`).map((page) => ({ ...page, department: view })),
    ),
  }
}
