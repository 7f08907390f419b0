import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readTickets, readTicketTime, tallyTickets, type TicketSettings } from '../../src/content/tickets.ts'
import { NewsletterError } from '../../src/errors.ts'

const dir = join(import.meta.dirname, '../fixtures/new')
const read = (name: string) => readFileSync(join(dir, name), 'utf8')

const countTickets = (path: string, text: string, month: string, settings?: TicketSettings) => tallyTickets(readTickets(path, text, { settings }), month)
const ticketDate = (value: string, order: 'dmy' | 'mdy') => {
  const time = readTicketTime(value, order)
  return time && new Date(time.wall).toISOString().slice(0, 10)
}

function failure(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (!(error instanceof NewsletterError)) throw error
    return `${error.where?.file}:${error.where?.line}:${error.where?.column}: ${error.message} / ${error.hint}`
  }
  throw new Error('expected a NewsletterError')
}

describe('countTickets', () => {
  it('counts one month of a generic export by Category, most asked first, ignoring other months', () => {
    const tally = countTickets('tickets.csv', read('tickets.csv'), '2026-10')
    expect(tally.columns).toEqual({ category: 'Category', created: 'Created' })
    expect(tally.total).toBe(13)
    expect(tally.counts).toEqual([
      { category: 'Password reset', count: 5 },
      { category: 'VPN', count: 3 },
      { category: 'Printing', count: 2 },
      { category: 'New starter', count: 1 },
      { category: 'Software', count: 1 },
      { category: 'Teams', count: 1 },
    ])
  })

  it('reads a Jira Service Management export: Request Type column, 03/Oct/26 dates', () => {
    const tally = countTickets('jira.csv', read('jira.csv'), '2026-10')
    expect(tally.columns).toEqual({ category: 'Custom field (Request Type)', created: 'Created' })
    expect(tally.counts).toEqual([
      { category: 'Sign-in help', count: 2 },
      { category: 'Software', count: 1 },
      { category: 'Teams', count: 1 },
    ])
  })

  it('reads a ServiceNow export with day-first dates, or month-first when configured', () => {
    expect(countTickets('sn.csv', read('servicenow.csv'), '2026-10').counts).toEqual([{ category: 'Hardware', count: 2 }])
    expect(countTickets('sn.csv', read('servicenow.csv'), '2026-10', { date_order: 'mdy' }).counts).toEqual([{ category: 'Software', count: 1 }])
  })

  it('uses the configured columns', () => {
    const tally = countTickets('tickets.csv', read('tickets.csv'), '2026-10', { category: 'Subject' })
    expect(tally.columns.category).toBe('Subject')
    expect(tally.total).toBe(13)
    expect(tally.counts[0]).toEqual({ category: "Can't log in", count: 1 })
  })

  it('says which column is missing and lists the ones there are', () => {
    expect(failure(() => countTickets('t.csv', 'Ticket,Status\n1,Open\n', '2026-10'))).toBe(
      't.csv:1:1: The ticket export has no category or subject column / Its columns are: Ticket, Status. Set new.tickets.category in content/settings.yml to the right one',
    )
    expect(failure(() => countTickets('t.csv', read('tickets.csv'), '2026-10', { created: 'Opened' }))).toBe(
      't.csv:1:1: The ticket export has no column `Opened` (set as new.tickets.created in the settings) / Its columns are: Ticket ID, Subject, Category, Status, Created. Set new.tickets.created in content/settings.yml to the right one',
    )
  })

  it('points at the line of a date it cannot read, even after a quoted line break', () => {
    expect(failure(() => countTickets('bad.csv', read('bad-date.csv'), '2026-10'))).toBe(
      'bad.csv:4:10: `yesterday` in column `Created` is not a date / Dates like 2026-11-03 09:30, 03/11/2026 14:05 (see new.tickets.date_order) or 03/Nov/26 9:05 AM are understood',
    )
  })

  it('rejects impossible dates', () => {
    expect(ticketDate('2026-02-30', 'dmy')).toBeUndefined()
    expect(ticketDate('31/12/2026 23:00', 'dmy')).toBe('2026-12-31')
    expect(ticketDate('12/31/2026', 'mdy')).toBe('2026-12-31')
    expect(ticketDate('12/31/2026', 'dmy')).toBeUndefined()
  })
})
