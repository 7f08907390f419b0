import { NewsletterError } from '../errors.ts'
import { decodeCsv, readCsv, type CsvRecord } from './csv.ts'
import type { Fields, InferFields } from './schema.ts'
import { genericProfile, ticketProfiles, type TicketProfile } from './ticket-profiles.ts'

/** Validation of `new.tickets`: which columns of the helpdesk export to read, when it is not one the profiles know. */
export const ticketFields = {
  /** Column to count by (default: the profile's, or the first of Category, Request Type, Topic, Type, Subject, …). */
  category: { spec: { kind: 'string' } },
  /** Column with the date the ticket was opened (default: the profile's, or the first of Created, Created At, Opened, …). */
  created: { spec: { kind: 'string' } },
  /** Column with the date the ticket was resolved (default: the profile's, or the first of Resolved, Solved At, Closed, …). */
  resolved: { spec: { kind: 'string' } },
  /** How to read dates like 03/11/2026: `dmy` (default) or `mdy`. */
  date_order: { spec: { kind: 'enum', values: ['dmy', 'mdy'] } },
} as const satisfies Fields

/** The `new.tickets` settings. */
export type TicketSettings = InferFields<typeof ticketFields>

/** One ticket as the figures need it. Times are milliseconds since the epoch; months are YYYY-MM in the settings' time zone. */
export interface Ticket {
  category: string
  channel?: string
  created: number
  createdMonth: string
  resolved?: number
  resolvedMonth?: string
  /** Hours from opening to the first response, when the export says. */
  firstResponseHours?: number
}

/** The columns of an export that were read (`undefined`: the export has none). */
export interface TicketColumns {
  category: string
  created: string
  resolved?: string
  channel?: string
  firstResponse?: string
}

/** A ticket export read whole: which helpdesk wrote it, which columns were read, and the tickets. */
export interface TicketExport {
  /** `ServiceNow`, `Jira Service Management`, `Zendesk`, `Freshservice`, `GLPI`, or `ticket export`. */
  profile: string
  columns: TicketColumns
  tickets: Ticket[]
}

/** How to read an export. */
export interface TicketReadOptions {
  /** `new.tickets` from the settings. */
  settings?: TicketSettings
  /** The settings' IANA time zone: times without an offset are wall-clock times there (default: UTC). */
  timeZone?: string
  /** The first-response SLA goal in hours, to turn Jira's time-left cells into time taken (default: those cells are not read). */
  firstResponseGoalHours?: number
}

const dateHint = 'Dates like 2026-11-03 09:30, 03/11/2026 14:05 (see new.tickets.date_order) or 03/Nov/26 9:05 AM are understood'

/**
 * Read a helpdesk's CSV export (text, or bytes in any encoding `decodeCsv` reads) through the one CSV reader. The
 * helpdesk is recognised from the header row (see ticket-profiles.ts); any other export is read by the usual column
 * names or the ones `new.tickets` names. A cell that cannot be read throws with its `file:line:col`.
 */
export function readTickets(path: string, input: string | Uint8Array, options: TicketReadOptions = {}): TicketExport {
  const settings = options.settings ?? {}
  const text = typeof input === 'string' ? input : decodeCsv(input).text
  const clock = zoneClock(options.timeZone ?? 'UTC')
  const order = settings.date_order ?? 'dmy'
  const tickets: Ticket[] = []
  let names: string[] = []
  let read: ((record: CsvRecord) => Ticket) | undefined
  let found: { profile: TicketProfile; columns: TicketColumns } | undefined
  const table = readCsv(path, text, (record, isHeader) => {
    if (isHeader) {
      names = record.fields.map((name) => name.trim())
      found = chooseColumns(path, names, settings, options)
      read = rowReader(path, names, found, order, clock, options.firstResponseGoalHours)
      return
    }
    if (record.fields.every((field) => field.trim() === '')) return
    tickets.push(read!(record))
  })
  if (!table || !found) throw new NewsletterError('The ticket export is empty', 'content', { file: path, line: 1, column: 1 }, { hint: 'Export the tickets as CSV with a header row' })
  return { profile: found.profile.name, columns: found.columns, tickets }
}

/** The helpdesk whose columns the header has, and the columns to read. */
function chooseColumns(path: string, names: string[], settings: TicketSettings, options: TicketReadOptions): { profile: TicketProfile; columns: TicketColumns } {
  const lower = names.map((name) => name.toLowerCase())
  const profile = ticketProfiles.find((candidate) => candidate.detect.every((name) => lower.includes(name))) ?? genericProfile
  const known = (wanted: readonly string[]) => wanted.map((want) => names[lower.indexOf(want)]).find((name) => name !== undefined)
  const required = (configured: string | undefined, wanted: readonly string[], what: string, key: string): string => {
    const column = configured ? names.find((name) => name === configured) : known(wanted)
    if (column) return column
    throw new NewsletterError(
      configured ? `The ticket export has no column \`${configured}\` (set as new.tickets.${key} in the settings)` : `The ${profile.name} has no ${what} column`,
      'content',
      { file: path, line: 1, column: 1 },
      { hint: `Its columns are: ${names.join(', ')}. Set new.tickets.${key} in content/settings.yml to the right one` },
    )
  }
  const firstResponse = profile.firstResponseUnit === 'sla-remaining' && options.firstResponseGoalHours === undefined ? undefined : known(profile.columns.firstResponse)
  return {
    profile,
    columns: {
      category: required(settings.category, profile.columns.category, 'category or subject', 'category'),
      created: required(settings.created, profile.columns.created, 'created date', 'created'),
      resolved: settings.resolved ? required(settings.resolved, [], 'resolved date', 'resolved') : known(profile.columns.resolved),
      channel: known(profile.columns.channel),
      firstResponse,
    },
  }
}

type Clock = ReturnType<typeof zoneClock>

/** A function that turns one row's fields into a Ticket, throwing at the cell it cannot read. */
function rowReader(
  path: string,
  names: string[],
  { profile, columns }: { profile: TicketProfile; columns: TicketColumns },
  order: DateOrder,
  clock: Clock,
  goalHours: number | undefined,
): (record: CsvRecord) => Ticket {
  const index = (name: string | undefined) => (name === undefined ? -1 : names.indexOf(name))
  const [category, created, resolved, channel, firstResponse] = [columns.category, columns.created, columns.resolved, columns.channel, columns.firstResponse].map(index) as [
    number,
    number,
    number,
    number,
    number,
  ]
  // One string per month, category and channel, shared by every ticket that has it: a large export holds 100,000 of them.
  const shared = new Map<string, string>()
  const intern = (text: string) => shared.get(text) ?? (shared.set(text, text), text)
  // The record's places are worked out only here, for the cell that cannot be read.
  const fail = ({ places }: CsvRecord, at: number, message: string, hint: string) =>
    new NewsletterError(message, 'content', { file: path, ...(places[at] ?? places[0]!) }, { hint })
  const time = (record: CsvRecord, at: number): { ms: number; month: string } | undefined => {
    const fields = record.fields
    const raw = (fields[at] ?? '').trim()
    if (raw === '' && at !== created) return undefined
    const wall = readTicketTime(raw, order)
    if (!wall) throw fail(record, at, `\`${raw}\` in column \`${names[at]}\` is not a date`, dateHint)
    const stamp = clock.stamp(wall)
    return { ms: stamp.ms, month: intern(stamp.month) }
  }
  return (record) => {
    const fields = record.fields
    const opened = time(record, created)!
    const closed = resolved < 0 ? undefined : time(record, resolved)
    if (closed && closed.ms < opened.ms) {
      throw fail(record, resolved, `\`${fields[resolved]!.trim()}\` in column \`${names[resolved]}\` is before the ticket was created (${fields[created]!.trim()})`, 'Check the two dates in the helpdesk and export again')
    }
    const ticket: Ticket = { category: intern((fields[category] ?? '').trim() || '(none)'), created: opened.ms, createdMonth: opened.month }
    if (closed) {
      ticket.resolved = closed.ms
      ticket.resolvedMonth = closed.month
    }
    const via = channel < 0 ? '' : (fields[channel] ?? '').trim()
    if (via) ticket.channel = intern(via)
    const response = firstResponse < 0 ? '' : (fields[firstResponse] ?? '').trim()
    if (response) {
      const hours = durationHours(response, profile.firstResponseUnit ?? 'hours', goalHours)
      if (hours === undefined) {
        throw fail(record, firstResponse, `\`${response}\` in column \`${names[firstResponse]}\` is not a time taken`, durationHint[profile.firstResponseUnit ?? 'hours'])
      }
      ticket.firstResponseHours = hours
    }
    return ticket
  }
}

const durationHint = {
  hours: 'Write hours as 1.5 or 1:30',
  minutes: 'Write a whole number of minutes, e.g. 95',
  'sla-remaining': 'Jira writes the time left on the SLA clock as 3:25, or -1:10 once breached',
}

/** Hours taken, from a cell written in `unit`; undefined when the cell is not such a value. */
function durationHours(value: string, unit: NonNullable<TicketProfile['firstResponseUnit']>, goalHours: number | undefined): number | undefined {
  const clock = /^(-)?(\d+):([0-5]\d)(?::[0-5]\d)?$/.exec(value)
  const clockHours = clock ? (clock[1] ? -1 : 1) * (Number(clock[2]) + Number(clock[3]) / 60) : undefined
  if (unit === 'sla-remaining') return clockHours === undefined || goalHours === undefined ? undefined : goalHours - clockHours
  if (unit === 'hours' && clockHours !== undefined) return clockHours >= 0 ? clockHours : undefined
  const number = /^\d+(?:[.,]\d+)?$/.test(value) ? Number(value.replace(',', '.')) : undefined
  return number === undefined ? undefined : unit === 'minutes' ? number / 60 : number
}

/** How to read a date like 03/11/2026. */
export type DateOrder = 'dmy' | 'mdy'

/** A wall-clock time as written in an export (as milliseconds of that time in UTC), and the UTC offset it was written with, if any. */
export interface WallTime {
  wall: number
  /** Minutes east of UTC, when the value said (`+0100`, `Z`). */
  offset?: number
}

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const timePart = String.raw`(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?\s*(Z|[+-]\d{2}:?\d{2})?`
const isoDate = new RegExp(String.raw`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})${timePart}$`)
const namedMonth = new RegExp(String.raw`^(\d{1,2})[-/ ]([A-Za-z]{3})[a-z]*[-/ ](\d{2}|\d{4})${timePart}$`)
const numericDate = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})${timePart}$`)

/**
 * A ticket's date and time as the helpdesks write them: `2026-10-03 09:12:00` (ServiceNow, Freshservice, GLPI), with an
 * offset (`+0100`, Zendesk) or ISO 8601; `03/Oct/26 9:12 AM` (Jira); `03/10/2026 09:12` in `order`. Undefined when it is
 * not a real date and time.
 */
export function readTicketTime(value: string, order: DateOrder): WallTime | undefined {
  let match = isoDate.exec(value)
  let ymd: [number, number, number] | undefined
  if (match) ymd = [Number(match[1]), Number(match[2]), Number(match[3])]
  else if ((match = namedMonth.exec(value))) {
    const year = Number(match[3])
    ymd = [year < 100 ? 2000 + year : year, monthNames.indexOf(match[2]!.toLowerCase()) + 1, Number(match[1])]
  } else if ((match = numericDate.exec(value))) {
    const [a, b] = [Number(match[1]), Number(match[2])]
    ymd = order === 'dmy' ? [Number(match[3]), b, a] : [Number(match[3]), a, b]
  }
  if (!match || !ymd) return undefined
  const [year, month, day] = ymd
  let hour = Number(match[4] ?? 0)
  const [minute, second, half, zone] = [Number(match[5] ?? 0), Number(match[6] ?? 0), match[7]?.toLowerCase(), match[8]]
  if (half) {
    if (hour < 1 || hour > 12) return undefined
    hour = (hour % 12) + (half === 'pm' ? 12 : 0)
  }
  if (hour > 23 || minute > 59 || second > 59) return undefined
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  if (month < 1 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined
  if (!zone) return { wall: date.getTime() }
  const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)))
  return { wall: date.getTime(), offset }
}

/**
 * The settings' time zone: a written time to the instant it means and the month it falls in there. Offsets are looked
 * up once per hour of UTC (Intl is slow, and an export has many tickets in each hour).
 */
function zoneClock(timeZone: string) {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
  const offsets = new Map<number, number>()
  const offsetAt = (utc: number): number => {
    const hour = Math.floor(utc / 3_600_000)
    let offset = offsets.get(hour)
    if (offset === undefined) {
      const at = hour * 3_600_000
      const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, Number(p.value)]))
      offset = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!) - at
      offsets.set(hour, offset)
    }
    return offset
  }
  const monthOf = (wall: number) => new Date(wall).toISOString().slice(0, 7)
  return {
    stamp({ wall, offset }: WallTime): { ms: number; month: string } {
      if (offset !== undefined) {
        const ms = wall - offset * 60_000
        return { ms, month: monthOf(ms + offsetAt(ms)) }
      }
      // A wall time near a change of offset: the offset at the first guess, corrected once (RFC 5545's reading of a gap).
      const guess = wall - offsetAt(wall)
      return { ms: wall - offsetAt(guess), month: monthOf(wall) }
    },
  }
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
  columns: TicketColumns
}

/** Count the tickets of an export created in `month` (YYYY-MM) by category. */
export function tallyTickets(exported: TicketExport, month: string): TicketTally {
  const counts = new Map<string, number>()
  let total = 0
  for (const ticket of exported.tickets) {
    if (ticket.createdMonth !== month) continue
    counts.set(ticket.category, (counts.get(ticket.category) ?? 0) + 1)
    total += 1
  }
  return { month, total, counts: sortCounts(counts).map(({ name, count }) => ({ category: name, count })), columns: exported.columns }
}

/** Counts by name, most first, ties alphabetically. */
export function sortCounts(counts: Map<string, number>): { name: string; count: number }[] {
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
}
