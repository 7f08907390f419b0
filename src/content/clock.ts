/**
 * The one clock for what commands write into files: the wall-clock minute of `date` in the settings' IANA time zone,
 * written YYYY-MM-DDTHH:MM (how notices and approvals write times). The machine's own zone never counts.
 */
export function minuteIn(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`
}

/** A written time cut to its minute, YYYY-MM-DDTHH:MM, so times written with a space or with seconds compare as text. */
export function minuteOf(time: string): string {
  return time.replace(' ', 'T').slice(0, 16)
}

const monthFormats = new Map<string | undefined, Intl.DateTimeFormat>()

/** The month of a written date (`2026-11-03` or `2026-11` → `November 2026`) in a language; one formatter per language. */
export function monthLabel(date: string, language: string | undefined): string {
  let format = monthFormats.get(language)
  // Intl formatters are costly to build (about half a millisecond each).
  if (!format) monthFormats.set(language, (format = new Intl.DateTimeFormat(language, { timeZone: 'UTC', month: 'long', year: 'numeric' })))
  return format.format(new Date(`${date.slice(0, 7)}-01T00:00:00Z`))
}
