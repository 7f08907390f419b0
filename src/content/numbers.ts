import { readFile } from 'node:fs/promises'
import { relative, resolve } from 'node:path'
import { NewsletterError } from '../errors.ts'
import type { numbersFields } from './fields.ts'
import type { Fields, InferFields } from './schema.ts'
import { readTickets, sortCounts, type TicketExport, type TicketSettings } from './tickets.ts'

/** An issue's `numbers:` block, as validated (see numbersFields). */
export type Numbers = InferFields<typeof numbersFields>

/** The settings' `numbers:` keys. */
export const numbersSettingsFields = {
  /** Categories of tickets people could have solved themselves (a password reset, a full mailbox): counted as avoidable. */
  avoidable: { spec: { kind: 'list', of: { kind: 'string' } }, default: [] },
  /** The first-response SLA goal in hours: Jira exports time left on the SLA clock, and this turns it into time taken. */
  first_response_goal_hours: { spec: { kind: 'integer', min: 1 } },
} as const satisfies Fields

/** The `numbers:` settings. */
export type NumbersSettings = InferFields<typeof numbersSettingsFields>

/** The settings a ticket export is read with (the settings file's `new.tickets`, `numbers` and `timezone`). */
export interface TicketExportSettings {
  new?: { tickets?: TicketSettings }
  numbers?: NumbersSettings
  timezone: string
}

/** A ticket export file read with the settings; `shown` is its path as messages name it. */
export async function loadTicketExport(root: string, file: string, settings: TicketExportSettings): Promise<TicketExport & { shown: string }> {
  const shown = relative(root, resolve(root, file)) || file
  const bytes = await readFile(resolve(root, file)).catch((error: Error) => {
    throw new NewsletterError(`Could not read ${shown}: ${error.message}`, 'io', undefined, { cause: error, hint: 'Check the path of the ticket export' })
  })
  const exported = readTickets(shown, bytes, {
    settings: settings.new?.tickets,
    timeZone: settings.timezone,
    firstResponseGoalHours: settings.numbers?.first_response_goal_hours,
  })
  return { ...exported, shown }
}

/** At most this many categories are listed, most tickets first. */
export const topCategoryCount = 5

/**
 * The figures of one month (YYYY-MM) of an export: tickets opened and resolved in it; the median and 90th percentile
 * times over the tickets resolved in it, in hours to one decimal; categories and channels of the tickets opened in it.
 */
export function countNumbers(exported: TicketExport, period: string, settings: Pick<NumbersSettings, 'avoidable'> = { avoidable: [] }): Numbers {
  const categories = new Map<string, number>()
  const channels = new Map<string, number>()
  const resolution: number[] = []
  const firstResponse: number[] = []
  const avoidable = new Set(settings.avoidable.map((name) => name.toLowerCase()))
  let opened = 0
  let avoidableCount = 0
  for (const ticket of exported.tickets) {
    if (ticket.createdMonth === period) {
      opened++
      categories.set(ticket.category, (categories.get(ticket.category) ?? 0) + 1)
      if (ticket.channel) channels.set(ticket.channel, (channels.get(ticket.channel) ?? 0) + 1)
      if (avoidable.has(ticket.category.toLowerCase())) avoidableCount++
    }
    if (ticket.resolvedMonth === period) {
      resolution.push((ticket.resolved! - ticket.created) / 3_600_000)
      if (ticket.firstResponseHours !== undefined) firstResponse.push(ticket.firstResponseHours)
    }
  }
  resolution.sort((a, b) => a - b)
  firstResponse.sort((a, b) => a - b)
  const numbers: Numbers = {
    period,
    opened,
    resolved: resolution.length,
    top_categories: sortCounts(categories).slice(0, topCategoryCount),
    channels: sortCounts(channels),
  }
  if (firstResponse.length > 0) numbers.first_response_median_hours = oneDecimal(median(firstResponse))
  if (resolution.length > 0) {
    numbers.resolution_median_hours = oneDecimal(median(resolution))
    numbers.resolution_p90_hours = oneDecimal(nearestRank(resolution, 0.9))
  }
  if (avoidable.size > 0) numbers.avoidable = { count: avoidableCount, share: opened === 0 ? 0 : Math.round((avoidableCount / opened) * 100) / 100 }
  return numbers
}

/** The middle value of sorted numbers (the mean of the two middle ones for an even count). */
export function median(sorted: readonly number[]): number {
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** The `p` percentile of sorted numbers by the nearest-rank method: the smallest value with at least p of them at or below it. */
export function nearestRank(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!
}

function oneDecimal(hours: number): number {
  return Math.round(hours * 10) / 10
}

// JSON strings are valid YAML double-quoted strings: a category name cannot break the YAML.
const q = (text: string) => JSON.stringify(text)

/** The lines of a `numbers:` value in YAML (below the key, indented by `indent`), each figure's line with a comment saying what it is. */
export function numbersYaml(numbers: Numbers, indent = '  '): string[] {
  const item = (entry: { name: string; count: number }): [string, string] => [`  - { name: ${q(entry.name)}, count: ${entry.count} }`, '']
  const optional = (key: keyof Numbers, comment: string): [string, string][] => (numbers[key] === undefined ? [] : [[`${key}: ${String(numbers[key])}`, comment]])
  const lines: [string, string][] = [
    [`period: ${numbers.period}`, 'the month counted'],
    [`opened: ${numbers.opened}`, 'tickets created in the period'],
    [`resolved: ${numbers.resolved}`, 'tickets resolved in the period'],
    ...optional('first_response_median_hours', 'medians and the 90th percentile: over the tickets resolved'),
    ...optional('resolution_median_hours', ''),
    ...optional('resolution_p90_hours', ''),
    numbers.top_categories.length > 0 ? ['top_categories:', `up to ${topCategoryCount}, most first`] : ['top_categories: []', ''],
    ...numbers.top_categories.map(item),
    ...(numbers.channels.length > 0 ? [['channels:', ''] as [string, string], ...numbers.channels.map(item)] : []),
    ...(numbers.avoidable ? [[`avoidable: { count: ${numbers.avoidable.count}, share: ${numbers.avoidable.share} }`, 'categories in settings numbers.avoidable'] as [string, string]] : []),
  ]
  const width = Math.max(...lines.filter(([, comment]) => comment).map(([text]) => text.length)) + 2
  return lines.map(([text, comment]) => `${indent}${comment ? `${text.padEnd(width)}# ${comment}` : text}`)
}
