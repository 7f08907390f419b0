import { numbersYaml, type Numbers } from './numbers.ts'
import type { ProjectEntry } from './types.ts'
import type { TicketTally } from './tickets.ts'

/** What a new issue starts from. */
export interface IssueDraft {
  number: number
  date: string
  /** How the month is written for readers, e.g. `December 2026`. */
  monthLabel: string
  /** Projects of the previous issue that are not done yet, and which issue they came from. */
  projects: ProjectEntry[]
  previousIssue?: number
  tickets?: TicketTally & { source: string; monthLabel: string }
  /** The month's figures from the same export. */
  numbers?: Numbers
}

/** The month before a YYYY-MM-DD date, as YYYY-MM: the month an issue reports on. */
export function previousMonth(date: string): string {
  const [year, month] = date.split('-').map(Number) as [number, number]
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`
}

/** A new issue's date: today, unless the latest issue is already this month (or later); then the 1st of the month after it. */
export function defaultIssueDate(latest: string | undefined, today: string): string {
  return latest && latest.slice(0, 7) >= today.slice(0, 7) ? nextMonthStart(latest) : today
}

/** The first day of the month after a YYYY-MM-DD date. */
export function nextMonthStart(date: string): string {
  const [year, month] = date.split('-').map(Number) as [number, number]
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`
}

/** The prompts `newsletter new` writes into a document's fields, by field: each must be replaced before sending. */
export const placeholders = {
  summary: ['What this issue covers, in one or two sentences.', 'What is not working, and what you can do meanwhile.'],
  title: ['Service name: what is wrong'],
  service: ['Service name'],
  impact: ['Who cannot do what.'],
  answer: ['The answer, in a few short sentences or steps.'],
} as const

// JSON strings are valid YAML double-quoted strings: every value is quoted this way so no text can break the YAML.
const q = (text: string) => JSON.stringify(text)

/** The Markdown of a new draft issue: every section stubbed with guidance comments. */
export function issueTemplate(draft: IssueDraft): string {
  const lines = [
    '---',
    `# Issue ${draft.number}. Fill in this month's news and delete the sections you do not need.`,
    '# `newsletter check` points out jargon, long sentences and broken links as you write.',
    '# A headline: the month and the one or two things readers must know.',
    `title: ${q(draft.monthLabel)}`,
    `issue: ${draft.number}`,
    `date: ${draft.date}`,
    '# draft → review → approved (approval records who approved it).',
    'status: draft',
    '# One or two sentences, the most important first: inbox previews show the first 140 characters.',
    `summary: ${q(placeholders.summary[0])}`,
    'tags: []',
    '# Updates people will notice: what they must do and by when. `restart: true` needs an `action`.',
    'patches: []',
    '# patches:',
    '#   - title: Windows 11 cumulative update',
    '#     id: KB0000000',
    '#     product: Windows 11',
    '#     severity: important          # critical | important | moderate | low',
    '#     cves: [CVE-2026-00000]',
    '#     rollout: 2026-12-10          # or a range: 2026-12-10/2026-12-12',
    '#     restart: true',
    '#     action: "Save your work and restart before you go home on Thursday."',
    '# The scam of the month: what it looks like, what to do, where to report it.',
    '# threat:',
    '#   name: Fake delivery texts',
    '#   summary: "…"',
    '#   signs: ["…"]',
    '#   actions: ["…"]',
    '#   report: mailto:security@example.com',
    ...topQuestion(draft),
    ...numbers(draft),
    ...projects(draft),
    '# Outages last month, what caused them and what we changed.',
    'incidents: []',
    '# incidents:',
    '#   - service: VPN',
    '#     start: 2026-11-14T08:10',
    '#     end: 2026-11-14T09:55',
    '#     impact: "Who could not do what, and for how long."',
    '#     cause: "…"',
    '#     fix: "…"',
    '---',
    '',
    '<!--',
    'Other news goes here. Start each story with a "## " heading that says what readers need to know,',
    'then a few short sentences. Links: [the page name](https://…), never "click here".',
    '-->',
    '',
  ]
  return lines.join('\n')
}

function topQuestion(draft: IssueDraft): string[] {
  const tickets = draft.tickets
  const top = tickets?.counts[0]
  if (!tickets || !top) {
    return [
      ...(tickets ? [`# No tickets in ${tickets.source} were created in ${tickets.monthLabel}.`] : []),
      '# The question people asked the helpdesk most, and its answer.',
      '# top_question:',
      '#   question: "Why can\'t I …?"',
      '#   answer: "…"',
      '#   asked: 0                      # how many times it was asked',
    ]
  }
  const next = tickets.counts.slice(1, 5).map((entry) => `${entry.category} (${entry.count})`)
  return [
    `# From ${tickets.source}: ${tickets.total} tickets created in ${tickets.monthLabel}, counted by \`${tickets.columns.category}\`.`,
    ...(next.length > 0 ? [`# Next most asked: ${next.join(', ')}.`] : []),
    '# Rewrite the question the way people ask it, and answer it.',
    'top_question:',
    `  question: ${q(top.category)}`,
    `  answer: ${q(placeholders.answer[0])}`,
    `  asked: ${top.count}`,
    `  category: ${q(top.category)}`,
  ]
}

function numbers(draft: IssueDraft): string[] {
  if (!draft.numbers) return ['# IT by the numbers: newsletter numbers <slug> --from-tickets FILE fills this in from a helpdesk export.']
  return [`# IT by the numbers, from ${draft.tickets?.source}: rewrite it with newsletter numbers <slug> --from-tickets FILE.`, 'numbers:', ...numbersYaml(draft.numbers)]
}

function projects(draft: IssueDraft): string[] {
  if (draft.projects.length === 0) {
    return [
      '# Where our projects stand: planned | on-track | at-risk | delayed | done.',
      'projects: []',
      '# projects:',
      '#   - name: Laptop refresh',
      '#     status: on-track',
      '#     summary: "What happened this month and what is next."',
      '#     eta: 2027-03',
    ]
  }
  return [
    `# Carried over from issue ${draft.previousIssue}: move each status on (planned | on-track | at-risk | delayed | done)`,
    '# and say what changed.',
    'projects:',
    ...draft.projects.flatMap((project) => [
      `  - name: ${q(project.name)}`,
      `    status: ${project.status}`,
      ...(project.summary ? [`    summary: ${q(project.summary)}`] : []),
      ...(project.eta ? [`    eta: ${q(project.eta)}`] : []),
    ]),
  ]
}

/** What a new notice starts from. */
export interface NoticeDraft {
  date: string
  /** Now, as YYYY-MM-DDTHH:MM, for the first update. */
  time: string
}

/** The Markdown of a new draft service notice. */
export function noticeTemplate(draft: NoticeDraft): string {
  return [
    '---',
    '# A service notice: send it as soon as people are affected, then add updates as you learn more.',
    '# Rename the file after the service (2026-10-14-vpn-outage.md): the name becomes its web address.',
    `title: ${q(placeholders.title[0])}`,
    `date: ${draft.date}`,
    'status: draft',
    '# What is wrong and what readers should do, in one or two sentences (140 characters show in the inbox).',
    `summary: ${q(placeholders.summary[1])}`,
    `service: ${q(placeholders.service[0])}`,
    '# investigating → identified → monitoring → resolved (planned work: kind: maintenance, window: {start, end},',
    '# and scheduled → in-progress → completed)',
    'state: investigating',
    `impact: ${q(placeholders.impact[0])}`,
    '# workaround: "What still works, or another way to get the job done."',
    `# next_update: ${draft.time}`,
    'updates:',
    '# Add updates with: newsletter update <this file name without .md> --state identified --text "…"',
    `  - time: ${draft.time}`,
    '    state: investigating',
    `    text: ${q('We know about the problem and are investigating.')}`,
    '---',
    '',
    '<!--',
    'Once it is fixed: "## What happened" and "## What we are changing", in a few short sentences each.',
    '-->',
    '',
  ].join('\n')
}
