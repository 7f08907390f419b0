import type Mail from 'nodemailer/lib/mailer'
import type { Settings } from '../config.ts'
import { addressOf } from '../content/address.ts'
import type { RenderedView } from '../markdown/parts.ts'
import { inlineText, LinkRefs } from '../markdown/plain-text.ts'

/** One calendar event, every time already in UTC. */
export interface CalendarEvent {
  /** Stable for the life of the notice, so each revision updates the same event. */
  uid: string
  /** Increases with each revision (RFC 5545 §3.8.7.4). */
  sequence: number
  stamp: Date
  start: Date
  end: Date
  summary: string
  description: string
  url: string
  /** Readers are shown busy for the window (TRANSP:OPAQUE); by default the event blocks nothing (TRANSP:TRANSPARENT). */
  busy?: boolean
}

/**
 * The iCalendar file of a maintenance notice (RFC 5545, METHOD:PUBLISH), or nothing for an incident. The window is
 * written in the settings' time zone and given here in UTC, which needs no VTIMEZONE (§3.3.5, form 2). Everything in
 * it comes from the notice as of its latest update, so the archive's copy and the email's are the same bytes.
 */
export function noticeCalendar(doc: RenderedView, settings: Settings): string | undefined {
  const notice = doc.notice
  if (!notice?.window) return undefined
  const zone = settings.timezone
  const refs = new LinkRefs()
  const page = `${settings.archive_url}${addressOf(doc).page}`
  const latest = notice.latest ? `\n\n${notice.latest.timeLabel}: ${inlineText(notice.latest.text.nodes, refs)}` : ''
  return calendarText({
    uid: calendarUid(doc.slug, settings),
    sequence: notice.revision,
    stamp: zonedToUtc(notice.latest?.time ?? `${doc.date}T00:00`, zone),
    start: zonedToUtc(notice.window.start, zone),
    end: zonedToUtc(notice.window.end, zone),
    // The title names the service already ("Email: planned maintenance…"); repeating it reads as a stutter.
    summary: doc.title,
    description: [`${inlineText(doc.summary.nodes, refs)}${latest}`, page, String(refs)].filter(Boolean).join('\n\n'),
    url: page,
    busy: notice.busy,
  })
}

/** The UID of a notice's event: its slug at the archive's host, the same in every revision. */
export function calendarUid(slug: string, settings: Settings): string {
  return `notice-${slug}@${new URL(settings.archive_url).host}`
}

/** What nodemailer's `icalEvent` wants: it adds the `text/calendar; method=PUBLISH` part and the attachment. */
export function calendarMailPart(slug: string, ics: string): NonNullable<Mail.Options['icalEvent']> {
  return { method: 'PUBLISH', filename: addressOf({ kind: 'notice', slug }).calendarFile, content: ics }
}

/** An event as iCalendar text: CRLF line ends, TEXT values escaped, lines folded at 75 octets. */
export function calendarText(event: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//it-newsletter//service notices//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${utcStamp(event.stamp)}`,
    `DTSTART:${utcStamp(event.start)}`,
    `DTEND:${utcStamp(event.end)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    `URL:${escapeUri(event.url)}`,
    'STATUS:CONFIRMED',
    `TRANSP:${event.busy ? 'OPAQUE' : 'TRANSPARENT'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ]
  return lines.map(foldLine).join('\r\n') + '\r\n'
}

// RFC 5545 §3.3.11: backslash, semicolon and comma are escaped; a line break (CRLF, LF or a lone CR) is written `\n`.
// Other control characters are not allowed in a TEXT value (§3.1, CONTROL): a stray CR must never start a property.
function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(controls, '')
}

// A URI value is not escaped (§3.3.13), so a control character in it is dropped, never written.
function escapeUri(value: string): string {
  return value.replace(controls, '')
}

// C0 controls but tab, and DEL (RFC 5545 §3.1: CONTROL); Unicode line and paragraph separators too.
const controls = /[\x00-\x08\x0a-\x1f\x7f\u2028\u2029]/g

// RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF and one space, never inside a UTF-8 character.
function foldLine(line: string): string {
  const parts: string[] = []
  let current = ''
  let bytes = 0
  for (const char of line) {
    const size = Buffer.byteLength(char)
    const limit = parts.length === 0 ? 75 : 74
    if (bytes + size > limit) {
      parts.push(current)
      current = ''
      bytes = 0
    }
    current += char
    bytes += size
  }
  parts.push(current)
  return parts.join('\r\n ')
}

function utcStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')
}

/**
 * A wall-clock time (YYYY-MM-DDTHH:MM) in an IANA time zone as an instant. A time skipped by a clock change
 * is read with the offset from before the change.
 */
export function zonedToUtc(local: string, timeZone: string): Date {
  const [, y, mo, d, h, mi] = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(local)!.map(Number) as number[]
  const asUtc = Date.UTC(y!, mo! - 1, d!, h!, mi!)
  const first = asUtc - offsetAt(asUtc, timeZone)
  return new Date(asUtc - offsetAt(first, timeZone))
}

/** How far a time zone is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant))
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value)
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - Math.floor(instant / 1000) * 1000
}
