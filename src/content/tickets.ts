import { NewsletterError, type Position } from '../errors.ts'
import { decodeCsv, readCsv } from './csv.ts'
import type { Fields, InferFields } from './schema.ts'

/** Validation of `new.tickets`: which columns of the helpdesk export to read. */
export const ticketFields = {
  /** Column to count by (default: the first of Category, Request Type, Topic, Type, Subject, Summary, …). */
  category: { spec: { kind: 'string' } },
  /** Column with the date the ticket was opened (default: the first of Created, Created At, Opened, …). */
  created: { spec: { kind: 'string' } },
  /** How to read dates like 03/11/2026: `dmy` (default) or `mdy`. */
  date_order: { spec: { kind: 'enum', values: ['dmy', 'mdy'] } },
} as const satisfies Fields

/** The `new.tickets` settings. */
export type TicketSettings = InferFields<typeof ticketFields>

/** Column names recognised without settings, case-insensitively, in order of preference. */
export const ticketColumns = {
  // ServiceNow: category, short_description; Jira Service Management: Custom field (Request Type), Summary;
  // Zendesk: Subject, Type; Freshdesk: Category, Subject, Type.
  category: ['category', 'request type', 'custom field (request type)', 'topic', 'type', 'subject', 'summary', 'short_description', 'short description', 'title'],
  created: ['created', 'created at', 'created_at', 'created time', 'created date', 'date created', 'opened', 'opened at', 'opened_at', 'sys_created_on', 'date'],
}

/** How often one category was asked. */
export interface TicketCount {
  category: string
  count: number
}

/** Tickets of one month counted by category, most asked first (ties alphabetically). */
export interface TicketTally {
  month: string
  total: number
  counts: TicketCount[]
  columns: { category: string; created: string }
}

/** Count the tickets of `month` (YYYY-MM) in a CSV export (text, or bytes in any encoding `decodeCsv` reads) by category. Bad input throws with the file position. */
export function countTickets(path: string, input: string | Uint8Array, month: string, settings: TicketSettings = {}): TicketTally {
  const text = typeof input === 'string' ? input : decodeCsv(input).text
  const records: { places: Position[]; record: Record<string, string> }[] = []
  const names: string[] = []
  const table = readCsv(path, text, ({ fields, places }, isHeader) => {
    if (isHeader) {
      names.push(...fields.map((name) => name.trim()))
      return
    }
    const record: Record<string, string> = {}
    names.forEach((name, index) => (record[name] = (fields[index] ?? '').trim()))
    records.push({ places, record })
  })
  if (!table) throw new NewsletterError('The ticket export is empty', 'content', { file: path, line: 1, column: 1 }, { hint: 'Export the tickets as CSV with a header row' })
  const find = (configured: string | undefined, known: readonly string[], what: string, key: string): string => {
    const found = configured ? names.find((name) => name === configured) : known.map((want) => names.find((name) => name.toLowerCase() === want)).find(Boolean)
    if (found) return found
    throw new NewsletterError(
      configured ? `The ticket export has no column \`${configured}\` (set as new.tickets.${key} in the settings)` : `The ticket export has no ${what} column`,
      'content',
      { file: path, line: 1, column: 1 },
      { hint: `Its columns are: ${names.join(', ')}. Set new.tickets.${key} in content/settings.yml to the right one` },
    )
  }
  const category = find(settings.category, ticketColumns.category, 'category or subject', 'category')
  const created = find(settings.created, ticketColumns.created, 'created date', 'created')
  const counts = new Map<string, number>()
  let total = 0
  for (const { places, record } of records) {
    const raw = record[created] ?? ''
    const day = ticketDate(raw, settings.date_order ?? 'dmy')
    if (!day) {
      throw new NewsletterError(`\`${raw}\` in column \`${created}\` is not a date`, 'content', { file: path, ...(places[names.indexOf(created)] ?? places[0]!) }, { hint: 'Dates like 2026-11-03, 03/11/2026 (see new.tickets.date_order) or 03/Nov/26 are understood' })
    }
    if (day.slice(0, 7) !== month) continue
    const name = (record[category] ?? '').trim() || '(none)'
    counts.set(name, (counts.get(name) ?? 0) + 1)
    total += 1
  }
  return {
    month,
    total,
    counts: [...counts].map(([name, count]) => ({ category: name, count })).sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)),
    columns: { category, created },
  }
}

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** A ticket's created value as YYYY-MM-DD, or undefined when it is not a date this reads. */
export function ticketDate(value: string, order: 'dmy' | 'mdy'): string | undefined {
  const pad = (n: number) => String(n).padStart(2, '0')
  const make = (y: number, m: number, d: number) => {
    const year = y < 100 ? 2000 + y : y
    const date = new Date(Date.UTC(year, m - 1, d))
    return date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? `${year}-${pad(m)}-${pad(d)}` : undefined
  }
  let match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:$|[T\s])/.exec(value)
  if (match) return make(Number(match[1]), Number(match[2]), Number(match[3]))
  match = /^(\d{1,2})[-/ ]([A-Za-z]{3})[a-z]*[-/ ](\d{2}|\d{4})(?:$|[\s,])/.exec(value)
  if (match) {
    const m = monthNames.indexOf(match[2]!.toLowerCase()) + 1
    return m > 0 ? make(Number(match[3]), m, Number(match[1])) : undefined
  }
  match = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:$|[\s,])/.exec(value)
  if (match) {
    const [a, b] = [Number(match[1]), Number(match[2])]
    return order === 'dmy' ? make(Number(match[3]), b, a) : make(Number(match[3]), a, b)
  }
  return undefined
}
