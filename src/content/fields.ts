import type { Check, Fields } from './schema.ts'

const text = { kind: 'string' } as const
const textList = { kind: 'list', of: text } as const

/** A real calendar date written YYYY-MM-DD. */
export const isDate: Check = (value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (match && validDay(Number(match[1]), Number(match[2]), Number(match[3]))) return undefined
  return { reason: `must be a date written YYYY-MM-DD, got \`${value}\``, hint: `Write it like ${exampleDate}` }
}

/** A date and time, as ISO 8601 without seconds required: 2026-10-14T08:10. */
export const isDateTime: Check = (value) => {
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
  if (rest.length === 0 && start && !isDate(start) && (end === undefined || (!isDate(end) && end >= start))) return undefined
  return { reason: `must be a date or a range of dates, got \`${value}\``, hint: 'Write 2026-11-12, or 2026-11-12/2026-11-14 for a range' }
}

const eta: Check = (value) =>
  /^\d{4}-(0[1-9]|1[0-2])$/.test(value) || !isDate(value)
    ? undefined
    : { reason: `must be a month (YYYY-MM) or a date (YYYY-MM-DD), got \`${value}\``, hint: 'Write 2027-01 or 2027-01-15' }

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

const common = {
  title: { spec: { kind: 'string', check: maxLength(120) }, required: true },
  date: { spec: { kind: 'string', check: isDate }, required: true },
  status: { spec: { kind: 'enum', values: ['draft', 'review', 'approved'] }, default: 'draft' },
  summary: { spec: text, required: true },
  approved_by: { spec: text },
  approved_at: { spec: { kind: 'string', check: isDateTime } },
  approved_digest: { spec: text },
  /** Short fingerprints of each part at approval, to name what changed since (see `partsOf`). */
  approved_parts: { spec: { kind: 'string' } },
  /** A notice's next_update at approval, so its approved revision can be rebuilt after `newsletter update`. */
  approved_next_update: { spec: { kind: 'string', check: isDateTime } },
  /** The approver's SSH signature of the approval (`approve --sign`), base64 without the armor lines. */
  approved_signature: { spec: { kind: 'string' } },
} as const satisfies Fields

/** Front matter of a monthly issue (`content/issues/*.md`). */
export const issueFields = {
  ...common,
  issue: { spec: { kind: 'integer', min: 1 }, required: true },
  tags: { spec: { kind: 'list', of: { kind: 'string', check: tag } }, default: [] },
  patches: {
    spec: {
      kind: 'list',
      of: {
        kind: 'object',
        fields: {
          title: { spec: text, required: true },
          id: { spec: text },
          product: { spec: text },
          severity: { spec: { kind: 'enum', values: ['critical', 'important', 'moderate', 'low'] } },
          cves: { spec: { kind: 'list', of: { kind: 'string', check: cve } }, default: [] },
          rollout: { spec: { kind: 'string', check: rollout } },
          restart: { spec: { kind: 'boolean' } },
          action: { spec: text },
        },
      },
    },
    default: [],
  },
  threat: {
    spec: {
      kind: 'object',
      fields: {
        name: { spec: text, required: true },
        summary: { spec: text, required: true },
        signs: { spec: textList, default: [] },
        actions: { spec: textList, default: [] },
        report: { spec: { kind: 'string', check: reportLink } },
      },
    },
  },
  top_question: {
    spec: {
      kind: 'object',
      fields: {
        question: { spec: text, required: true },
        answer: { spec: text, required: true },
        asked: { spec: { kind: 'integer', min: 0 } },
      },
    },
  },
  projects: {
    spec: {
      kind: 'list',
      of: {
        kind: 'object',
        fields: {
          name: { spec: text, required: true },
          status: { spec: { kind: 'enum', values: ['planned', 'on-track', 'at-risk', 'delayed', 'done'] }, required: true },
          summary: { spec: text },
          eta: { spec: { kind: 'string', check: eta } },
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
          service: { spec: text, required: true },
          start: { spec: { kind: 'string', check: isDateTime }, required: true },
          end: { spec: { kind: 'string', check: isDateTime } },
          impact: { spec: text, required: true },
          cause: { spec: text },
          fix: { spec: text },
        },
      },
    },
    default: [],
  },
} as const satisfies Fields

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
  service: { spec: text, required: true },
  state: { spec: { kind: 'enum', values: allStates }, required: true },
  impact: { spec: text, required: true },
  workaround: { spec: text },
  window: {
    spec: {
      kind: 'object',
      fields: {
        start: { spec: { kind: 'string', check: isDateTime }, required: true },
        end: { spec: { kind: 'string', check: isDateTime }, required: true },
      },
    },
  },
  next_update: { spec: { kind: 'string', check: isDateTime } },
  updates: {
    spec: {
      kind: 'list',
      of: {
        kind: 'object',
        fields: {
          time: { spec: { kind: 'string', check: isDateTime }, required: true },
          state: { spec: { kind: 'enum', values: allStates } },
          text: { spec: text, required: true },
        },
      },
    },
    default: [],
  },
} as const satisfies Fields
