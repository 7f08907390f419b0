import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { parseDoc } from '../../src/content/load.ts'
import { calendarText, noticeCalendar, zonedToUtc } from '../../src/email/calendar.ts'
import { renderParts } from '../../src/markdown/parts.ts'
import { testSettings } from '../helpers/render.ts'

const maintenance = (updates: string[], state = 'scheduled') => `---
title: "Email: planned maintenance, Saturday night"
date: 2026-11-21
summary: "Email is unavailable on Saturday from 22:00; see [the plan](https://intranet.example.com/plan)."
kind: maintenance
service: Email
state: ${state}
window: { start: 2026-11-28T22:00, end: 2026-11-29T02:00 }
impact: "No email, in or out."
updates:
${updates.join('\n')}
---
`

const first = ['  - time: 2026-11-21T10:00', '    state: scheduled', '    text: "We will upgrade the mail servers; nothing is lost."']
const second = ['  - time: 2026-11-28T22:05', '    state: in-progress', '    text: "The work has started."']

function ics(text: string, timezone = 'Europe/London'): string | undefined {
  const { doc, file } = parseDoc('content/notices/2026-11-28-email.md', text, 'notice')
  if (!doc) throw new Error(String(file.messages))
  return noticeCalendar(renderParts(doc), { ...testSettings(), timezone })
}

function event(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text))
  return { calendar, event: new ICAL.Event(calendar.getFirstSubcomponent('vevent')!) }
}

describe('the calendar file of a maintenance', () => {
  it('parses back with one event: the window in UTC, SEQUENCE = revision, METHOD:PUBLISH', () => {
    const text = ics(maintenance(first))!
    const { calendar, event: parsed } = event(text)
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH')
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0')
    expect(parsed.uid).toBe('notice-2026-11-28-email@intranet.example.com')
    expect(parsed.sequence).toBe(1)
    // Europe/London is on GMT in November.
    expect(parsed.startDate.toJSDate().toISOString()).toBe('2026-11-28T22:00:00.000Z')
    expect(parsed.endDate.toJSDate().toISOString()).toBe('2026-11-29T02:00:00.000Z')
    expect(parsed.summary).toBe('Email: planned maintenance, Saturday night')
    expect(parsed.description).toBe(
      'Email is unavailable on Saturday from 22:00; see the plan [1].\n\n21 November 2026, 10:00: We will upgrade the mail servers; nothing is lost.\n\nhttps://intranet.example.com/news/notices/2026-11-28-email/\n\nLinks:\n[1] https://intranet.example.com/plan',
    )
    expect(text).toContain('DTSTART:20261128T220000Z\r\n')
    expect(text).toContain('DTSTAMP:20261121T100000Z\r\n')
  })

  it('keeps the UID and raises SEQUENCE with each revision', () => {
    const one = event(ics(maintenance(first))!).event
    const two = event(ics(maintenance([...first, ...second], 'in-progress'))!).event
    expect(two.uid).toBe(one.uid)
    expect(two.sequence).toBe(2)
    expect(two.startDate.toJSDate().getTime()).toBe(one.startDate.toJSDate().getTime())
  })

  it("reads the window in the settings' time zone", () => {
    const text = ics(maintenance(first), 'America/New_York')!
    expect(event(text).event.startDate.toJSDate().toISOString()).toBe('2026-11-29T03:00:00.000Z')
    expect(zonedToUtc('2026-07-01T09:00', 'Europe/London').toISOString()).toBe('2026-07-01T08:00:00.000Z')
    expect(zonedToUtc('2026-10-25T01:30', 'UTC').toISOString()).toBe('2026-10-25T01:30:00.000Z')
  })

  it('gives an incident no calendar file', () => {
    expect(ics('---\ntitle: T\ndate: 2026-11-21\nsummary: S\nservice: VPN\nstate: investigating\nimpact: I\n---\n')).toBeUndefined()
  })

  it('folds long lines at 75 octets without splitting a character, and escapes text', () => {
    const summary = `Wartung: ${'Größenänderung, '.repeat(12)}fertig; a\\b`
    const text = calendarText({
      uid: 'u@x',
      sequence: 3,
      stamp: new Date(0),
      start: new Date(0),
      end: new Date(3600_000),
      summary,
      description: 'line one\nline two',
      url: 'https://x.example/',
    })
    const lines = text.split('\r\n')
    expect(text.endsWith('\r\n')).toBe(true)
    expect(lines.every((line) => Buffer.byteLength(line) <= 75)).toBe(true)
    expect(lines.filter((line) => line.startsWith(' ')).length).toBeGreaterThan(2)
    expect(lines.every((line) => !line.includes('\uFFFD'))).toBe(true)
    const parsed = event(text).event
    expect(parsed.summary).toBe(summary)
    expect(parsed.description).toBe('line one\nline two')
    expect(text).toContain('DESCRIPTION:line one\\nline two\r\n')
  })
})
