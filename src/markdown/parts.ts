import type { RootContent } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { Doc, IssueMeta, NoticeMeta, NoticeState, ProjectStatus, Severity } from '../content/types.ts'
import { nodesToHtml } from './html.ts'
import { parseMarkdown } from './parse.ts'

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
}

export interface RenderedIssueParts {
  number: number
  tags: string[]
  patches: RenderedPatch[]
  threat?: { name: string; summary: Prose; signs: Prose[]; actions: Prose[]; report?: string }
  topQuestion?: { question: string; answer: Prose; asked?: number }
  projects: { name: string; status: ProjectStatus; statusLabel: string; summary?: Prose; eta?: string; etaLabel?: string }[]
  incidents: { service: string; start: string; end?: string; when: string; impact: Prose; cause?: Prose; fix?: Prose }[]
}

export interface RenderedNoticeParts {
  service: string
  state: NoticeState
  stateLabel: string
  impact: Prose
  workaround?: Prose
  nextUpdate?: string
  nextUpdateLabel?: string
  updates: { time: string; timeLabel: string; text: Prose }[]
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
}

/** How dates are written for readers. */
export interface DateOptions {
  /** BCP 47 language for month names (default: en-GB). */
  locale?: string
}

/** Render every prose field and the body of a validated document. */
export function renderParts(doc: Doc, options: DateOptions = {}): RenderedDoc {
  const dates = dateFormatter(options.locale ?? 'en-GB')
  const { meta } = doc
  const base = {
    doc,
    kind: meta.kind,
    slug: doc.slug,
    title: meta.title,
    date: meta.date,
    dateLabel: dates.date(meta.date),
    status: meta.status,
    summary: prose(meta.summary),
    sections: splitSections(doc.body.children),
  }
  return meta.kind === 'issue' ? { ...base, issue: issueParts(meta, dates) } : { ...base, notice: noticeParts(meta, dates) }
}

function issueParts(meta: IssueMeta, dates: Dates): RenderedIssueParts {
  return {
    number: meta.issue,
    tags: meta.tags,
    patches: meta.patches.map((patch) => ({
      ...patch,
      rolloutLabel: patch.rollout?.split('/').map(dates.date).join(' – '),
      action: optional(patch.action),
    })),
    threat: meta.threat && {
      name: meta.threat.name,
      summary: prose(meta.threat.summary),
      signs: meta.threat.signs.map(prose),
      actions: meta.threat.actions.map(prose),
      report: meta.threat.report,
    },
    topQuestion: meta.top_question && {
      question: meta.top_question.question,
      answer: prose(meta.top_question.answer),
      asked: meta.top_question.asked,
    },
    projects: meta.projects.map((project) => ({
      name: project.name,
      status: project.status,
      statusLabel: projectLabels[project.status],
      summary: optional(project.summary),
      eta: project.eta,
      etaLabel: project.eta && (project.eta.length === 7 ? dates.month(project.eta) : dates.date(project.eta)),
    })),
    incidents: meta.incidents.map((incident) => ({
      service: incident.service,
      start: incident.start,
      end: incident.end,
      when: dates.span(incident.start, incident.end),
      impact: prose(incident.impact),
      cause: optional(incident.cause),
      fix: optional(incident.fix),
    })),
  }
}

function noticeParts(meta: NoticeMeta, dates: Dates): RenderedNoticeParts {
  return {
    service: meta.service,
    state: meta.state,
    stateLabel: stateLabels[meta.state],
    impact: prose(meta.impact),
    workaround: optional(meta.workaround),
    nextUpdate: meta.next_update,
    nextUpdateLabel: meta.next_update && dates.dateTime(meta.next_update),
    // Newest update first: readers want the latest news at the top.
    updates: [...meta.updates]
      .sort((a, b) => b.time.localeCompare(a.time))
      .map((update) => ({ time: update.time, timeLabel: dates.dateTime(update.time), text: prose(update.text) })),
  }
}

const projectLabels: Record<ProjectStatus, string> = {
  planned: 'Planned',
  'on-track': 'On track',
  'at-risk': 'At risk',
  delayed: 'Delayed',
  done: 'Done',
}

const stateLabels: Record<NoticeState, string> = {
  investigating: 'Investigating',
  identified: 'Cause identified',
  monitoring: 'Fixed, monitoring',
  resolved: 'Resolved',
}

/** Front-matter prose (inline Markdown allowed) → Prose; a lone paragraph is unwrapped to inline HTML. */
export function prose(markdown: string): Prose {
  const nodes = parseMarkdown(markdown).children
  const only = nodes[0]
  if (nodes.length === 1 && only?.type === 'paragraph') {
    // Render the paragraph whole, then drop its <p>: phrasing nodes at the root would get newlines between them.
    return { html: nodesToHtml(nodes).replace(/^<p>|<\/p>$/g, ''), nodes, inline: true }
  }
  return { html: nodesToHtml(nodes), nodes, inline: false }
}

function optional(markdown: string | undefined): Prose | undefined {
  return markdown === undefined ? undefined : prose(markdown)
}

/** Split the body at `##` headings; each becomes a section of the email and the page. */
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
    if (!current) {
      current = { id: uniqueId('introduction', used), html: '', nodes: [] }
      sections.push(current)
    }
    current.nodes.push(node)
  }
  for (const section of sections) section.html = nodesToHtml(section.nodes)
  return sections
}

function uniqueId(title: string, used: Set<string>): string {
  const base = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'section'
  let id = base
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`
  used.add(id)
  return id
}

interface Dates {
  date(value: string): string
  month(value: string): string
  dateTime(value: string): string
  span(start: string, end?: string): string
}

// Front-matter times are the wall-clock times IT wrote: format them as written, never shifted by time zone.
function dateFormatter(locale: string): Dates {
  const day = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' })
  const month = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' })
  const parse = (value: string) => {
    const [y, m, d, h, min] = value.split(/[-T: ]/).map(Number)
    return new Date(Date.UTC(y!, (m ?? 1) - 1, d ?? 1, h ?? 0, min ?? 0))
  }
  const clock = (value: string) => value.slice(11, 16)
  const dateTime = (value: string) => `${day.format(parse(value))}, ${clock(value)}`
  return {
    date: (value) => day.format(parse(value)),
    month: (value) => month.format(parse(value)),
    dateTime,
    span: (start, end) => {
      if (!end) return `${dateTime(start)} (ongoing)`
      return start.slice(0, 10) === end.slice(0, 10) ? `${dateTime(start)}–${clock(end)}` : `${dateTime(start)} – ${dateTime(end)}`
    },
  }
}
