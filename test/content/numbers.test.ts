import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { countNumbers, median, nearestRank } from '../../src/content/numbers.ts'
import { readTickets, type TicketReadOptions } from '../../src/content/tickets.ts'
import { NewsletterError } from '../../src/errors.ts'

const dir = join(import.meta.dirname, '../fixtures/tickets')
const bytes = (name: string) => readFileSync(join(dir, name))

function failure(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (!(error instanceof NewsletterError)) throw error
    return `${error.where?.file}:${error.where?.line}:${error.where?.column}: ${error.message}`
  }
  throw new Error('expected a NewsletterError')
}

const count = (name: string, options: TicketReadOptions, avoidable: string[]) => {
  const exported = readTickets(name, bytes(name), options)
  return { profile: exported.profile, numbers: countNumbers(exported, '2026-10', { avoidable }) }
}

describe('numbers from the helpdesks’ own exports', () => {
  it('ServiceNow: opened_at/resolved_at in Europe/London, across the end of summer time (49 hours, not 48)', () => {
    expect(count('servicenow.csv', { timeZone: 'Europe/London' }, ['Password'])).toEqual({
      profile: 'ServiceNow',
      numbers: {
        period: '2026-10',
        opened: 6,
        resolved: 5,
        resolution_median_hours: 17,
        resolution_p90_hours: 49,
        top_categories: [
          { name: 'Password', count: 3 },
          { name: 'Hardware', count: 1 },
          { name: 'Network', count: 1 },
          { name: 'Software', count: 1 },
        ],
        channels: [
          { name: 'Phone', count: 3 },
          { name: 'Email', count: 1 },
          { name: 'Self-service', count: 1 },
          { name: 'Walk-in', count: 1 },
        ],
        avoidable: { count: 3, share: 0.5 },
      },
    })
  })

  it('Jira Service Management: 12/Mar/26 9:05 AM dates; the SLA time left (negative when breached) read against the goal', () => {
    expect(count('jira-service-management.csv', { firstResponseGoalHours: 4 }, ['Reset a password'])).toEqual({
      profile: 'Jira Service Management',
      numbers: {
        period: '2026-10',
        opened: 4,
        resolved: 4,
        // Over the resolved tickets: 0.25, 0.5, 2 and 5 hours (4 − 3:45, 4 − 3:30, 4 − 2:00, 4 + 1:00).
        first_response_median_hours: 1.3,
        resolution_median_hours: 14,
        resolution_p90_hours: 96,
        // HD-1 was opened in September: its category is not October's.
        top_categories: [
          { name: 'Reset a password', count: 3 },
          { name: 'Request new software', count: 1 },
        ],
        channels: [],
        avoidable: { count: 3, share: 0.75 },
      },
    })
    // Without the goal the time-left cells say nothing about time taken: no first-response figure.
    expect(count('jira-service-management.csv', {}, []).numbers.first_response_median_hours).toBeUndefined()
  })

  it('Zendesk: times with their offset, counted in the month they fall in in the settings’ zone; reply times in minutes', () => {
    expect(count('zendesk.csv', { timeZone: 'Europe/Berlin' }, ['Password'])).toEqual({
      profile: 'Zendesk',
      numbers: {
        period: '2026-10',
        opened: 4,
        resolved: 3,
        first_response_median_hours: 0.5,
        resolution_median_hours: 8,
        resolution_p90_hours: 48,
        top_categories: [
          { name: 'Password', count: 2 },
          { name: 'Accounts', count: 1 },
          { name: 'Hardware', count: 1 },
        ],
        channels: [
          { name: 'Web form', count: 2 },
          { name: 'Email', count: 1 },
          { name: 'Phone call (incoming)', count: 1 },
        ],
        avoidable: { count: 2, share: 0.5 },
      },
    })
    // In UTC the first ticket was opened on 30 September and the last on 31 October.
    expect(count('zendesk.csv', { timeZone: 'UTC' }, []).numbers.opened).toBe(4)
    expect(count('zendesk.csv', { timeZone: 'UTC' }, []).numbers.top_categories[0]).toEqual({ name: 'Password', count: 2 })
  })

  it('Freshservice: a Windows-1252 file with CRLF, first response in hours', () => {
    expect(count('freshservice.csv', {}, ['Accès'])).toEqual({
      profile: 'Freshservice',
      numbers: {
        period: '2026-10',
        opened: 5,
        resolved: 4,
        first_response_median_hours: 0.8,
        resolution_median_hours: 7.5,
        resolution_p90_hours: 48,
        top_categories: [
          { name: 'Accès', count: 2 },
          { name: 'Software', count: 2 },
          { name: 'Hardware', count: 1 },
        ],
        channels: [
          { name: 'Portal', count: 3 },
          { name: 'Email', count: 1 },
          { name: 'Phone', count: 1 },
        ],
        avoidable: { count: 2, share: 0.4 },
      },
    })
  })

  it('GLPI: UTF-8 with a BOM, semicolons, a quoted semicolon, Europe/Paris across the end of summer time', () => {
    expect(count('glpi.csv', { timeZone: 'Europe/Paris' }, ['Accounts > Password'])).toEqual({
      profile: 'GLPI',
      numbers: {
        period: '2026-10',
        opened: 5,
        resolved: 4,
        resolution_median_hours: 5,
        resolution_p90_hours: 25,
        top_categories: [
          { name: 'Accounts > Password', count: 2 },
          { name: 'Hardware > Laptop', count: 1 },
          { name: 'Hardware > Printer', count: 1 },
          { name: 'Network > VPN', count: 1 },
        ],
        channels: [
          { name: 'Helpdesk', count: 2 },
          { name: 'Phone', count: 2 },
          { name: 'E-Mail', count: 1 },
        ],
        avoidable: { count: 2, share: 0.4 },
      },
    })
  })

  it('reports a row whose date cannot be read at its line and column, in every format', () => {
    const withRow = (name: string, row: string, encoding: BufferEncoding = 'utf8') => {
      const text = bytes(name)
      return Buffer.concat([text, Buffer.from(`${row}\r\n`, encoding)])
    }
    const read = (name: string, data: Buffer, options: TicketReadOptions = {}) => failure(() => readTickets(name, data, options))
    expect(read('servicenow.csv', withRow('servicenow.csv', 'INC0010008,2026-10-31 25:00:00,Bad hour,A,4,New,Password,SD,Phone,'))).toBe(
      'servicenow.csv:9:12: `2026-10-31 25:00:00` in column `opened_at` is not a date',
    )
    expect(read('jira-service-management.csv', withRow('jira-service-management.csv', 'Bad,HD-6,10006,Incident,Resolved,Low,21/Oct/26 9:00 AM,21/Foo/26 9:00 AM,Get IT help,1:00'))).toBe(
      'jira-service-management.csv:7:56: `21/Foo/26 9:00 AM` in column `Resolved` is not a date',
    )
    expect(read('zendesk.csv', withRow('zendesk.csv', '106,Bad,Solved,Normal,Email,Question,2026-10-31 10:00:00 +0100,,2026-10-30 10:00:00 +0100,Password,5,,'))).toBe(
      'zendesk.csv:7:65: `2026-10-30 10:00:00 +0100` in column `Solved at` is before the ticket was created (2026-10-31 10:00:00 +0100)',
    )
    expect(read('freshservice.csv', withRow('freshservice.csv', 'INC-7,Bad,Open,Low,Portal,Incident,,SD,2026-10-21 09:00:00,,,,,soon,Software,Office', 'latin1'))).toBe(
      'freshservice.csv:8:64: `soon` in column `First Response Time (in Hrs)` is not a time taken',
    )
    expect(read('glpi.csv', withRow('glpi.csv', '6;Mouse;Solved;2026-10-27 10:00;2026-10-27 09:00;Low;a;b;Hardware > Mouse;31/02/2026 10:00;Phone'))).toBe(
      'glpi.csv:7:75: `31/02/2026 10:00` in column `Resolution date` is not a date',
    )
  })

  it('takes the middle value, or the mean of the two middle ones, and the 90th percentile by nearest rank', () => {
    expect(median([1, 2, 3])).toBe(2)
    expect(median([1, 2, 3, 10])).toBe(2.5)
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9)
    expect(nearestRank([5], 0.9)).toBe(5)
  })
})
