import type { RootContent } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { forMarker } from '../content/audience.ts'
import type { ContactLinks } from '../content/contact-links.ts'
import { projectLabels } from '../content/project-history.ts'
import { isNoticeClosed, noticeRevision, orderUpdates, stateLabels } from '../content/revisions.ts'
import { issueFields, noticeFields } from '../content/fields.ts'
import { mapMarkdown, type InferFields } from '../content/schema.ts'
import type { Doc, IssueMeta, NoticeKind, NoticeState, ProjectStatus, Severity } from '../content/types.ts'
import { earlierFigures, type IssueFigures } from '../content/figures.ts'
import { nodesToHtmlMany } from './html.ts'
import { renderNumbers, type RenderedNumbers } from './numbers-parts.ts'
import { parseProseFields } from './prose-fields.ts'

/** A piece of prose rendered once: sanitized HTML for the email and the site, mdast for the text part. */
export interface Prose {
  html: string
  nodes: RootContent[]
  /** True when the prose is a single paragraph, rendered inline (no `<p>`). */
  inline: boolean
}

/** A `##` section of the Markdown body (the part before the first `##` has no title). */
export interface Section {
  title?: string
  id: string
  html: string
  nodes: RootContent[]
  /** The departments this section is for (its `<!-- for: … -->` line); absent: everyone. */
  for?: string[]
}

export interface RenderedPatch {
  title: string
  id?: string
  product?: string
  severity?: Severity
  cves: string[]
  rollout?: string
  rolloutLabel?: string
  restart?: boolean
  action?: Prose
  /** The departments this patch is for; absent: everyone. */
  for?: string[]
}

/** One of IT's priorities, in the issue's order. */
export interface RenderedPriority {
  title: string
  why?: Prose
  /** The departments this priority is for; absent: everyone. */
  for?: string[]
}

/** One project as readers see it; `why` says what went wrong and the plan. */
export interface RenderedProject {
  id?: string
  name: string
  status: ProjectStatus
  statusLabel: string
  summary?: Prose
  eta?: string
  etaLabel?: string
  why?: Prose
  /** The departments this project is for; absent: everyone. */
  for?: string[]
}

export interface RenderedIssueParts {
  number: number
  tags: string[]
  patches: RenderedPatch[]
  threat?: { name: string; summary: Prose; signs: Prose[]; actions: Prose[]; report?: string }
  topQuestion?: { question: string; answer: Prose; asked?: number }
  /** What IT is working on, most important first; absent when the issue does not say. */
  priorities?: RenderedPriority[]
  projects: RenderedProject[]
  incidents: { service: string; start: string; end?: string; when: string; impact: Prose; cause?: Prose; fix?: Prose; for?: string[] }[]
  /** IT by the numbers, compared with the issues before it. */
  numbers?: RenderedNumbers
}

/** One update as readers see it. */
export interface RenderedUpdate {
  /** The revision this update made: 1 for the first update written. */
  revision: number
  time: string
  timeLabel: string
  state?: NoticeState
  stateLabel?: string
  text: Prose
}

export interface RenderedNoticeParts {
  noticeKind: NoticeKind
  service: string
  state: NoticeState
  stateLabel: string
  /** When the notice entered its state: the first update of the latest run in this state (missing without updates). */
  since?: string
  /** `Fri 20 Nov, 10:05`. */
  sinceLabel?: string
  /** One per update (see content/revisions.ts). */
  revision: number
  /** Resolved or completed: the email leads with the body (what happened, why, what changes). */
  closed: boolean
  impact: Prose
  workaround?: Prose
  /** `label` in full; `range` short for the fact block: `Sat 28 Nov, 22:00–02:00`. */
  window?: { start: string; end: string; label: string; range: string }
  nextUpdate?: string
  nextUpdateLabel?: string
  /** When an open incident's service should work again. */
  expectedBack?: string
  expectedBackLabel?: string
  /** The calendar invite marks readers busy (`busy: true`); by default the window blocks nothing. */
  busy: boolean
  /** Every update, newest first. */
  updates: RenderedUpdate[]
  latest?: RenderedUpdate
  /** The updates before the latest, newest first. */
  earlier: RenderedUpdate[]
  /** The departments the notice affects (ids from departments.yml); absent: everyone. */
  departments?: string[]
}

/** An issue or notice rendered once; the email, the text part and the archive all read from this. */
export interface RenderedDoc {
  doc: Doc
  kind: 'issue' | 'notice'
  slug: string
  title: string
  date: string
  dateLabel: string
  status: IssueMeta['status']
  summary: Prose
  sections: Section[]
  issue?: RenderedIssueParts
  notice?: RenderedNoticeParts
  /** Set on one department's edition (see markdown/edition.ts): whose it is and their IT contact. */
  edition?: Edition
}

/** A rendering without the document it came from: all the archive needs, and what a build keeps between runs (as JSON). */
export type RenderedView = Omit<RenderedDoc, 'doc'>

/** Whose edition a rendering is: the department, and its IT relationship manager when it has one. */
export interface Edition {
  department: { id: string; name: string }
  contact?: ContactLinks
}

/** The line above a document's title: `Issue 14`, `Service notice` or `Planned maintenance`. */
export function kickerOf(doc: Pick<RenderedDoc, 'kind' | 'issue' | 'notice'>): string {
  if (doc.kind === 'issue') return `Issue ${doc.issue?.number}`
  return doc.notice?.noticeKind === 'maintenance' ? 'Planned maintenance' : 'Service notice'
}

/** How dates are written for readers, and what an issue's numbers are compared with. */
export interface DateOptions {
  /** BCP 47 language for month names (default: en-GB). */
  locale?: string
  /** The approved issues' figures (the project's `figures`): an issue's numbers are compared with those before it. */
  figures?: readonly IssueFigures[]
}

/** Render every prose field and the body of a validated document. */
export function renderParts(doc: Doc, options: DateOptions = {}): RenderedDoc {
  const dates = dateFormatter(options.locale ?? 'en-GB')
  const { meta } = doc
  // Which fields are Markdown is the schema's to say: every one it declares becomes Prose here, from the parse the
  // writing checks read too.
  const { byPath } = parseProseFields(doc)
  const batch = new ProseBatch()
  const prose = (_text: string, path: string) => batch.add(byPath.get(path)!.nodes)
  const base = {
    doc,
    kind: meta.kind,
    slug: doc.slug,
    title: meta.title,
    date: meta.date,
    dateLabel: dates.date(meta.date),
    status: meta.status,
    sections: splitSections(doc.body.children),
  }
  let rendered: RenderedDoc
  if (meta.kind === 'issue') {
    const issue = mapMarkdown(meta, issueFields, prose)
    const numbers = meta.numbers && renderNumbers(meta.numbers, earlierFigures(options.figures ?? [], meta.issue), options.locale ?? 'en-GB')
    rendered = { ...base, summary: issue.summary, issue: { ...issueParts(issue, dates), numbers } }
  } else {
    // The schema's `kind:` of a notice is what the pipeline calls noticeKind.
    const notice = mapMarkdown({ ...meta, kind: meta.noticeKind }, noticeFields, prose)
    rendered = { ...base, summary: notice.summary, notice: noticeParts(notice, dates) }
  }
  batch.render(rendered.sections)
  return rendered
}

/** Issue front matter with its Markdown rendered. */
type IssueProse = InferFields<typeof issueFields, Prose>
/** Notice front matter with its Markdown rendered; `kind` is the notice's kind (incident or maintenance). */
type NoticeProse = InferFields<typeof noticeFields, Prose>

function issueParts(meta: IssueProse, dates: Dates): RenderedIssueParts {
  return {
    number: meta.issue,
    tags: meta.tags,
    patches: meta.patches.map((patch) => ({
      ...patch,
      rolloutLabel: patch.rollout && dates.range(...(patch.rollout.split('/') as [string, string?])),
    })),
    threat: meta.threat,
    topQuestion: meta.top_question,
    priorities: meta.priorities,
    projects: meta.projects.map((project) => ({
      ...project,
      statusLabel: projectLabels[project.status],
      // A finished project has no expected date any more.
      etaLabel: project.status === 'done' || !project.eta ? undefined : project.eta.length === 7 ? dates.shortMonth(project.eta) : dates.range(project.eta),
      for: project.for,
    })),
    incidents: meta.incidents.map((incident) => ({ ...incident, when: dates.span(incident.start, incident.end) })),
  }
}

function noticeParts(meta: NoticeProse, dates: Dates): RenderedNoticeParts {
  // Newest update first: readers want the latest news at the top.
  const { latest, earlier } = orderUpdates(meta.updates)
  const newestFirst = [...(latest ? [latest] : []), ...earlier]
  // Updates without a state continue the one before them; the run of the current state starts at its first update.
  const run = newestFirst.findIndex((update) => update.state !== undefined && update.state !== meta.state)
  const since = newestFirst[(run === -1 ? newestFirst.length : run) - 1]?.time
  const updates = newestFirst.map((update, index): RenderedUpdate => ({
    revision: newestFirst.length - index,
    time: update.time,
    timeLabel: dates.dateTime(update.time),
    state: update.state,
    stateLabel: update.state && stateLabels[update.state],
    text: update.text,
  }))
  return {
    noticeKind: meta.kind,
    service: meta.service,
    state: meta.state,
    stateLabel: stateLabels[meta.state],
    since,
    sinceLabel: since && dates.shortDateTime(since),
    revision: noticeRevision(meta),
    closed: isNoticeClosed(meta),
    impact: meta.impact,
    workaround: meta.workaround,
    window: meta.window && {
      ...meta.window,
      label: `${dates.dateTime(meta.window.start)} to ${dates.dateTime(meta.window.end)}`,
      range: dates.window(meta.window.start, meta.window.end),
    },
    nextUpdate: meta.next_update,
    nextUpdateLabel: meta.next_update && dates.dateTime(meta.next_update),
    expectedBack: meta.expected_back,
    expectedBackLabel: meta.expected_back && dates.shortDateTime(meta.expected_back),
    busy: meta.busy,
    updates,
    latest: updates[0],
    earlier: updates.slice(1),
    departments: meta.departments,
  }
}

/**
 * Collects a document's prose fields and renders them together with its sections: one sanitizing run per document
 * instead of one per field (the per-call set-up of rehype dominated).
 */
class ProseBatch {
  private items: Prose[] = []

  /** A Prose of these parsed nodes, whose HTML is filled in by `render`. */
  add(nodes: RootContent[]): Prose {
    // A lone paragraph is shown inline.
    const prose: Prose = { html: '', nodes, inline: nodes.length === 1 && nodes[0]?.type === 'paragraph' }
    this.items.push(prose)
    return prose
  }

  /** Render every collected field, and the HTML of the given sections. */
  render(sections: Section[]): void {
    const html = nodesToHtmlMany([...this.items.map((prose) => prose.nodes), ...sections.map((section) => section.nodes)])
    this.items.forEach((prose, i) => {
      // A lone paragraph is shown inline: drop its <p> wrapper.
      prose.html = prose.inline ? html[i]!.replace(/^<p>|<\/p>$/g, '') : html[i]!
    })
    sections.forEach((section, i) => (section.html = html[this.items.length + i]!))
  }
}

/** Split the body at `##` headings; each becomes a section of the email and the page. A `<!-- for: … -->` first line says whose it is. */
export function splitSections(children: readonly RootContent[]): Section[] {
  const sections: Section[] = []
  let current: Section | undefined
  const used = new Set<string>()
  for (const node of children) {
    if (node.type === 'heading' && node.depth === 2) {
      const title = toString(node)
      current = { title, id: uniqueId(title, used), html: '', nodes: [] }
      sections.push(current)
      continue
    }
    const marker = current?.title !== undefined && current.nodes.length === 0 && !current.for ? forMarker(node) : undefined
    if (marker) {
      current!.for = marker.ids
      continue
    }
    if (!current) {
      current = { id: uniqueId('introduction', used), html: '', nodes: [] }
      sections.push(current)
    }
    current.nodes.push(node)
  }
  return sections
}

/** A title as an id (`Guest Wi-Fi` → `guest-wi-fi`), numbered (`-2`, `-3`) when `used` has it already. */
export function uniqueId(title: string, used: Set<string>): string {
  const base =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'section'
  let id = base
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`
  used.add(id)
  return id
}

interface Dates {
  date(value: string): string
  /** `Dec 2026`, for table cells. */
  shortMonth(value: string): string
  /** `12 Nov 2026`, `12–14 Nov 2026` or `28 Nov – 2 Dec 2026`: short enough for a table cell on a phone. */
  range(start: string, end?: string): string
  dateTime(value: string): string
  /** `Sat 28 Nov, 22:00`: a time close to now, where the weekday helps more than the year. */
  shortDateTime(value: string): string
  /** `Sat 28 Nov, 22:00–02:00` for a window under a day; `Sat 28 Nov, 22:00 – Mon 30 Nov, 06:00` for a longer one. */
  window(start: string, end: string): string
  span(start: string, end?: string): string
}

const formatters = new Map<string, Dates>()

// Intl formatters are costly to build: one set per locale for the life of the process.
function dateFormatter(locale: string): Dates {
  let dates = formatters.get(locale)
  if (!dates) {
    dates = createDates(locale)
    formatters.set(locale, dates)
  }
  return dates
}

// Front-matter times are the wall-clock times IT wrote: format them as written, never shifted by time zone.
function createDates(locale: string): Dates {
  const day = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' })
  const shortDay = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' })
  const shortMonth = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', year: 'numeric' })
  const weekday = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' })
  const parse = (value: string) => {
    const [y, m, d, h, min] = value.split(/[-T: ]/).map(Number)
    return new Date(Date.UTC(y!, (m ?? 1) - 1, d ?? 1, h ?? 0, min ?? 0))
  }
  const clock = (value: string) => value.slice(11, 16)
  const ranges = new Map<string, string>()
  const dateTime = (value: string) => `${day.format(parse(value))}, ${clock(value)}`
  // en-GB writes `Sat 28 Nov`; some locales put a comma after the weekday.
  const shortDateTime = (value: string) => `${weekday.format(parse(value)).replace(/,/g, '')}, ${clock(value)}`
  return {
    date: (value) => day.format(parse(value)),
    shortMonth: (value) => shortMonth.format(parse(value)),
    // ICU writes thin spaces around the dash; days of one month read as one span: `12 – 14 Nov` → `12–14 Nov`.
    range: (start, end) => {
      if (!end) return shortDay.format(parse(start))
      // formatRange builds an ICU interval formatter on every call (most of renderParts' time): keep each answer.
      const key = `${start}/${end}`
      let label = ranges.get(key)
      if (label === undefined) {
        label = shortDay
          .formatRange(parse(start), parse(end))
          .replace(/\u2009/g, ' ')
          .replace(/(\d) – (\d)/, '$1–$2')
        ranges.set(key, label)
      }
      return label
    },
    dateTime,
    shortDateTime,
    window: (start, end) =>
      parse(end).getTime() - parse(start).getTime() < 24 * 60 * 60 * 1000
        ? `${shortDateTime(start)}–${clock(end)}`
        : `${shortDateTime(start)} – ${shortDateTime(end)}`,
    span: (start, end) => {
      if (!end) return `${dateTime(start)} (ongoing)`
      return start.slice(0, 10) === end.slice(0, 10) ? `${dateTime(start)}–${clock(end)}` : `${dateTime(start)} – ${dateTime(end)}`
    },
  }
}
