import type { Check, DocFields } from './schema.ts'

// Which texts are prose, and how readers see them, is declared here once: the renderer turns every `markdown` text
// into HTML and the writing checks read every prose text, both by walking these specs (see ProseKind in schema.ts).
const markdown = { kind: 'string', prose: 'markdown' } as const
const markdownList = { kind: 'list', of: markdown } as const
const title = { kind: 'string', prose: 'title' } as const
const plain = { kind: 'string', prose: 'plain' } as const
/** A name or an id, shown as written and not read as prose: a product, a KB number, who approved. */
const notProse = { kind: 'string', prose: false } as const

/** The problem with a date, or nothing when it is a real calendar date written YYYY-MM-DD. */
export const dateProblem: Check = (value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (match && validDay(Number(match[1]), Number(match[2]), Number(match[3]))) return undefined
  return { reason: `must be a date written YYYY-MM-DD, got \`${value}\``, hint: `Write it like ${exampleDate}` }
}

/** The problem with a date and time, or nothing when it is ISO 8601 without seconds required: 2026-10-14T08:10. */
export const dateTimeProblem: Check = (value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?$/.exec(value)
  if (match && validDay(Number(match[1]), Number(match[2]), Number(match[3])) && Number(match[4]) < 24 && Number(match[5]) < 60) {
    return undefined
  }
  return { reason: `must be a date and time written YYYY-MM-DDTHH:MM, got \`${value}\``, hint: 'Write it like 2026-10-14T08:10' }
}

const exampleDate = '2026-11-03'

function validDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

const maxLength =
  (max: number): Check =>
  (value) =>
    value.length > max ? { reason: `must be at most ${max} characters, this is ${value.length}`, hint: 'Shorten it; put detail in the body' } : undefined

const rollout: Check = (value) => {
  const [start, end, ...rest] = value.split('/')
  if (rest.length === 0 && start && !dateProblem(start) && (end === undefined || (!dateProblem(end) && end >= start))) return undefined
  return { reason: `must be a date or a range of dates, got \`${value}\``, hint: 'Write 2026-11-12, or 2026-11-12/2026-11-14 for a range' }
}

const eta: Check = (value) =>
  /^\d{4}-(0[1-9]|1[0-2])$/.test(value) || !dateProblem(value)
    ? undefined
    : { reason: `must be a month (YYYY-MM) or a date (YYYY-MM-DD), got \`${value}\``, hint: 'Write 2027-01 or 2027-01-15' }

const month: Check = (value) =>
  /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? undefined : { reason: `must be a month written YYYY-MM, got \`${value}\``, hint: 'Write it like 2026-10' }

const cve: Check = (value) =>
  /^CVE-\d{4}-\d{4,}$/.test(value) ? undefined : { reason: `must be a CVE id like CVE-2026-21345, got \`${value}\``, hint: 'Check the number against the advisory' }

const reportLink: Check = (value) =>
  /^mailto:[^@\s]+@[^@\s]+$/.test(value) || /^https:\/\/[^\s]+$/.test(value)
    ? undefined
    : { reason: `must be a mailto: or https: link, got \`${value}\``, hint: 'Write mailto:security@example.com or https://…' }

const tag: Check = (value) =>
  /^[a-z0-9][a-z0-9-]*$/.test(value)
    ? undefined
    : { reason: `must be lower-case letters, digits and dashes, got \`${value}\``, hint: `Write it as ${value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}` }

const date = { kind: 'string', check: dateProblem, prose: false } as const
const dateTime = { kind: 'string', check: dateTimeProblem, prose: false } as const

// Which departments exist is the project's business (departments.yml): an unknown id is reported by checkAudiences.
const departmentIds = { kind: 'list', of: { kind: 'string', prose: false } } as const

/** A name the helpdesk gave (a category, a channel) and how many tickets had it. */
const namedCount = {
  kind: 'list',
  of: { kind: 'object', fields: { name: { spec: notProse, required: true }, count: { spec: { kind: 'integer', min: 0 }, required: true } } },
} as const

const hours = { spec: { kind: 'number', min: 0 } } as const

/** `numbers:` of an issue: the helpdesk's month in figures (written by `newsletter numbers`, editable by hand). */
export const numbersFields = {
  period: { spec: { kind: 'string', check: month, prose: false }, required: true },
  opened: { spec: { kind: 'integer', min: 0 }, required: true },
  resolved: { spec: { kind: 'integer', min: 0 }, required: true },
  first_response_median_hours: hours,
  resolution_median_hours: hours,
  resolution_p90_hours: hours,
  top_categories: { spec: namedCount, default: [] },
  channels: { spec: namedCount, default: [] },
  avoidable: {
    spec: {
      kind: 'object',
      fields: { count: { spec: { kind: 'integer', min: 0 }, required: true }, share: { spec: { kind: 'number', min: 0, max: 1 }, required: true } },
    },
  },
} as const satisfies DocFields
/** A project's statuses, from not started to finished (see content/project-history.ts for which is worse). */
export const projectStatuses = ['planned', 'on-track', 'at-risk', 'delayed', 'done'] as const

// Keys are declared in the order the email shows them: the writing checks read the prose in this order, so a term
// explained in the threat's summary counts as explained in a patch below it.
const common = {
  title: { spec: { ...title, check: maxLength(120) }, required: true },
  date: { spec: date, required: true },
  status: { spec: { kind: 'enum', values: ['draft', 'review', 'approved'] }, default: 'draft' },
  summary: { spec: markdown, required: true },
  approved_by: { spec: notProse },
  approved_at: { spec: dateTime },
  approved_digest: { spec: notProse },
  /** Short fingerprints of each part at approval, to name what changed since (see `partsOf`). */
  approved_parts: { spec: notProse },
  /** A notice's next_update at approval, so its approved revision can be rebuilt after `newsletter update`. */
  approved_next_update: { spec: dateTime },
  /** The approver's SSH signature of the approval (`approve --sign`), base64 without the armor lines. */
  approved_signature: { spec: notProse },
} as const satisfies DocFields

/** Front matter of a monthly issue (`content/issues/*.md`). */
export const issueFields = {
  ...common,
  issue: { spec: { kind: 'integer', min: 1 }, required: true },
  tags: { spec: { kind: 'list', of: { kind: 'string', check: tag, prose: false } }, default: [] },
  threat: {
    spec: {
      kind: 'object',
      fields: {
        name: { spec: title, required: true },
        summary: { spec: markdown, required: true },
        signs: { spec: markdownList, default: [] },
        actions: { spec: markdownList, default: [] },
        report: { spec: { kind: 'string', check: reportLink, prose: false } },
      },
    },
  },
  patches: {
    spec: {
      kind: 'list',
      of: {
        kind: 'object',
        fields: {
          title: { spec: title, required: true },
          id: { spec: notProse },
          product: { spec: notProse },
          severity: { spec: { kind: 'enum', values: ['critical', 'important', 'moderate', 'low'] } },
          cves: { spec: { kind: 'list', of: { kind: 'string', check: cve, prose: false } }, default: [] },
          rollout: { spec: { kind: 'string', check: rollout, prose: false } },
          restart: { spec: { kind: 'boolean' } },
          action: { spec: markdown },
          /** Departments this item is for (ids from departments.yml); missing: everyone. */
          for: { spec: departmentIds },
        },
      },
    },
    default: [],
  },
  top_question: {
    spec: {
      kind: 'object',
      fields: {
        question: { spec: plain, required: true },
        answer: { spec: markdown, required: true },
        asked: { spec: { kind: 'integer', min: 0 } },
        /** The ticket category the question came from: the next issue says how many of these came in after it. */
        category: { spec: notProse },
      },
    },
  },
  numbers: { spec: { kind: 'object', fields: numbersFields } },
  /** What IT is working on, most important first. */
  priorities: {
    spec: {
      kind: 'list',
      of: {
        kind: 'object',
        fields: {
          title: { spec: title, required: true },
          why: { spec: markdown },
          /** Departments this item is for (ids from departments.yml); missing: everyone. */
          for: { spec: departmentIds },
        },
      },
    },
  },
  projects: {
    spec: {
      kind: 'list',
      of: {
        kind: 'object',
        fields: {
          /** Names the project across issues when its name changes; missing: the name does. */
          id: { spec: { kind: 'string', check: tag, prose: false } },
          name: { spec: title, required: true },
          status: { spec: { kind: 'enum', values: projectStatuses }, required: true },
          summary: { spec: markdown },
          eta: { spec: { kind: 'string', check: eta, prose: false } },
          /** What went wrong and the plan, when the status got worse or the date moved later. */
          why: { spec: markdown },
          /** Departments this item is for (ids from departments.yml); missing: everyone. */
          for: { spec: departmentIds },
        },
      },
    },
    default: [],
  },
  incidents: {
    spec: {
      kind: 'list',
      of: {
        kind: 'object',
        fields: {
          service: { spec: plain, required: true },
          start: { spec: dateTime, required: true },
          end: { spec: dateTime },
          impact: { spec: markdown, required: true },
          cause: { spec: markdown },
          fix: { spec: markdown },
          /** Departments this item is for (ids from departments.yml); missing: everyone. */
          for: { spec: departmentIds },
        },
      },
    },
    default: [],
  },
} as const satisfies DocFields

/** What a notice is about: something broke, or work IT planned. */
export const noticeKinds = ['incident', 'maintenance'] as const

/** The states a notice of each kind moves through, in order; the last one closes it. */
export const noticeStates = {
  incident: ['investigating', 'identified', 'monitoring', 'resolved'],
  maintenance: ['scheduled', 'in-progress', 'completed'],
} as const

const allStates = [...noticeStates.incident, ...noticeStates.maintenance]

/** Front matter of a service notice (`content/notices/*.md`). */
export const noticeFields = {
  ...common,
  kind: { spec: { kind: 'enum', values: noticeKinds }, default: 'incident' },
  service: { spec: plain, required: true },
  state: { spec: { kind: 'enum', values: allStates }, required: true },
  impact: { spec: markdown, required: true },
  workaround: { spec: markdown },
  window: {
    spec: {
      kind: 'object',
      fields: {
        start: { spec: dateTime, required: true },
        end: { spec: dateTime, required: true },
      },
    },
  },
  next_update: { spec: dateTime },
  /** When an incident's service should work again; an open incident only. */
  expected_back: { spec: dateTime },
  /** Mark readers busy in the maintenance's calendar invite (default: free, the window is shown but blocks nothing). */
  busy: { spec: { kind: 'boolean' }, default: false },
  /** The departments the notice affects (ids from departments.yml): its sends go only to them; missing: everyone. */
  departments: { spec: departmentIds },
  updates: {
    spec: {
      kind: 'list',
      of: {
        kind: 'object',
        fields: {
          time: { spec: dateTime, required: true },
          state: { spec: { kind: 'enum', values: allStates } },
          text: { spec: markdown, required: true },
        },
      },
    },
    default: [],
  },
} as const satisfies DocFields
