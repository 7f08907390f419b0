import type { IssueFigures } from '../content/figures.ts'
import type { Numbers } from '../content/numbers.ts'

/** One headline figure of the month and how it moved since the previous issue. */
export interface RenderedFigure {
  label: string
  value: string
  /** `down 12% on September`; absent without an earlier figure to compare with. */
  change?: string
}

/** A category or channel with its share of the tickets opened, as a whole percentage (the bar's width). */
export interface RenderedShare {
  name: string
  count: number
  percent: number
}

/** An issue's `numbers:` as readers see them, compared with the issues before it. */
export interface RenderedNumbers {
  /** The figures as written in `numbers:` (the archive's charts plot these). */
  values: Numbers
  period: string
  /** `October 2026`. */
  periodLabel: string
  figures: RenderedFigure[]
  categories: RenderedShare[]
  channels: RenderedShare[]
  /** Did the previous issue's answer cut the calls: `Password resets: 120 → 84, down 30%`. */
  followUp?: { category: string; before: number; after: number; change: string; text: string }
  /** Avoidable calls this month, and their share in each of the last six issues (this one last). */
  avoidable?: { count: number; percent: number; trend: { period: string; label: string; percent: number }[]; text: string }
}

/** Render `numbers` against the earlier issues' figures (oldest first): the last one with numbers is "the previous issue". */
export function renderNumbers(numbers: Numbers, earlier: readonly IssueFigures[], locale: string): RenderedNumbers {
  const month = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long' })
  const monthYear = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' })
  const shortMonth = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', year: 'numeric' })
  const monthOf = (period: string) => new Date(`${period}-01T00:00:00Z`)
  const previousEntry = earlier.filter((entry) => entry.numbers).at(-1)
  const previous = previousEntry?.numbers
  const against = previous && month.format(monthOf(previous.period))
  const hours = (value: number) => `${value} hour${value === 1 ? '' : 's'}`
  const figure = (label: string, value: number | undefined, was: number | undefined, show: (n: number) => string): RenderedFigure[] =>
    value === undefined ? [] : [{ label, value: show(value), change: was === undefined || !against ? undefined : changeWords(value, was, against) }]
  const share = (entry: { name: string; count: number }): RenderedShare => ({
    ...entry,
    percent: numbers.opened === 0 ? 0 : Math.round((entry.count / numbers.opened) * 100),
  })
  const rendered: RenderedNumbers = {
    values: numbers,
    period: numbers.period,
    periodLabel: monthYear.format(monthOf(numbers.period)),
    figures: [
      ...figure('Tickets opened', numbers.opened, previous?.opened, String),
      ...figure('Tickets resolved', numbers.resolved, previous?.resolved, String),
      ...figure('Median first response', numbers.first_response_median_hours, previous?.first_response_median_hours, hours),
      ...figure('Median time to resolve', numbers.resolution_median_hours, previous?.resolution_median_hours, hours),
    ],
    categories: numbers.top_categories.map(share),
    channels: numbers.channels.map(share),
  }
  const category = previousEntry?.answered
  const countOf = (figures: Numbers | undefined) => figures?.top_categories.find((entry) => entry.name.toLowerCase() === category?.toLowerCase())?.count
  const [before, after] = [countOf(previous), countOf(numbers)]
  if (category && before !== undefined && after !== undefined) {
    const change = changeWords(after, before)
    rendered.followUp = { category, before, after, change, text: `${category}: ${before} → ${after}, ${change}` }
  }
  if (numbers.avoidable) {
    const shares = [
      ...earlier.flatMap((entry) => (entry.numbers?.avoidable ? [{ period: entry.numbers.period, share: entry.numbers.avoidable.share }] : [])),
      { period: numbers.period, share: numbers.avoidable.share },
    ]
    const trend = shares.slice(-6).map(({ period, share }) => ({ period, label: shortMonth.format(monthOf(period)), percent: Math.round(share * 100) }))
    const percent = Math.round(numbers.avoidable.share * 100)
    const was = trend.length > 1 ? trend.at(-2) : undefined
    const text = `${numbers.avoidable.count} calls (${percent}% of tickets) were about things you can do yourself${was ? `: ${percent === was.percent ? 'the same as' : percent < was.percent ? 'down from' : 'up from'} ${was.percent}% in ${was.label}` : ''}.`
    rendered.avoidable = { count: numbers.avoidable.count, percent, trend, text }
  }
  return rendered
}

/** `down 12% on September`, `up 5%`, `the same as September`: the change from `was` to `now` in words. */
export function changeWords(now: number, was: number, on?: string): string {
  if (now === was) return on ? `the same as ${on}` : 'no change'
  if (was === 0) return on ? `up from none in ${on}` : 'up from none'
  const percent = Math.round((Math.abs(now - was) / was) * 100)
  return `${now < was ? 'down' : 'up'} ${percent}%${on ? ` on ${on}` : ''}`
}
