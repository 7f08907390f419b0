import type { Numbers } from '../content/numbers.ts'
import type { RenderedNumbers } from '../markdown/numbers-parts.ts'

/** What the page needs of an issue's archive view. */
export interface NumbersSource {
  href: string
  title: string
  issue?: { numbers?: RenderedNumbers }
}

/** One line of a chart: its points as SVG coordinates, and each value where it is drawn. */
export interface ChartSeries {
  name: string
  /** `series-1`, `series-2`: the stroke and dash the stylesheet gives it (dashes too, so colour is not the only difference). */
  className: string
  /** `x,y x,y …` for a `<polyline>`. */
  points: string
  dots: { x: number; y: number; value: string }[]
}

/** A line chart of one kind of figure across issues, with the same values as a table. */
export interface NumbersChart {
  id: string
  title: string
  /** What the chart shows, for `<desc>`: the range of each series. */
  desc: string
  width: number
  height: number
  /** Where the plot starts and ends across: the grid lines run between them, the axis labels sit left of `left`. */
  left: number
  right: number
  grid: { y: number; label: string }[]
  labels: { x: number; label: string }[]
  series: ChartSeries[]
  /** The table under the chart: one row per month, one column per series. */
  rows: { periodLabel: string; href: string; title: string; values: string[] }[]
}

/** The `/numbers/` page: every issue's figures, oldest first, as charts with their tables. */
export interface NumbersPage {
  charts: NumbersChart[]
  /** Issues with numbers. */
  count: number
}

const size = { width: 640, height: 260, left: 48, right: 16, top: 16, bottom: 36 }

type FigureOf = (numbers: Numbers) => number | undefined

const charts: { id: string; title: string; unit: string; series: { name: string; pick: FigureOf }[] }[] = [
  {
    id: 'tickets',
    title: 'Tickets opened and resolved',
    unit: 'tickets',
    series: [
      { name: 'Opened', pick: (n) => n.opened },
      { name: 'Resolved', pick: (n) => n.resolved },
    ],
  },
  {
    id: 'times',
    title: 'How fast: median hours',
    unit: 'hours',
    series: [
      { name: 'First response', pick: (n) => n.first_response_median_hours },
      { name: 'Resolution', pick: (n) => n.resolution_median_hours },
    ],
  },
  {
    id: 'avoidable',
    title: 'Avoidable calls',
    unit: '% of tickets',
    series: [{ name: 'Avoidable', pick: (n) => n.avoidable && Math.round(n.avoidable.share * 100) }],
  },
]

/** The charts of every issue's numbers (issues newest first, as the archive lists them). */
export function numbersPage(issues: readonly NumbersSource[]): NumbersPage {
  const months = issues.flatMap((view) => (view.issue?.numbers ? [{ view, numbers: view.issue.numbers }] : [])).reverse()
  const short = (label: string) => label.replace(/^(\S{3})\S*/, '$1')
  return {
    count: months.length,
    charts: charts
      .filter((chart) => months.some(({ numbers }) => chart.series.some((series) => series.pick(numbers.values) !== undefined)))
      .map((chart) => {
        const values = chart.series.map((series) => months.map(({ numbers }) => series.pick(numbers.values)))
        const max = niceMax(Math.max(1, ...values.flat().filter((value): value is number => value !== undefined)))
        const plotWidth = size.width - size.left - size.right
        const plotHeight = size.height - size.top - size.bottom
        const x = (index: number) => round(size.left + (months.length === 1 ? plotWidth / 2 : (index * plotWidth) / (months.length - 1)))
        const y = (value: number) => round(size.top + plotHeight - (value / max) * plotHeight)
        const series = chart.series.map((entry, index): ChartSeries => {
          const dots = values[index]!.flatMap((value, at) => (value === undefined ? [] : [{ x: x(at), y: y(value), value: String(value) }]))
          return { name: entry.name, className: `series-${index + 1}`, points: dots.map((dot) => `${dot.x},${dot.y}`).join(' '), dots }
        })
        const range = (index: number) => {
          const shown = values[index]!.filter((value): value is number => value !== undefined)
          return shown.length === 0 ? 'no figures' : `from ${Math.min(...shown)} to ${Math.max(...shown)}`
        }
        const first = months[0]!.numbers.periodLabel
        const last = months.at(-1)!.numbers.periodLabel
        return {
          id: chart.id,
          title: chart.title,
          desc: `${chart.title} in ${chart.unit}, ${first === last ? first : `${first} to ${last}`}: ${chart.series.map((entry, index) => `${entry.name} ${range(index)}`).join('; ')}. The table below has every value.`,
          width: size.width,
          height: size.height,
          left: size.left,
          right: size.width - size.right,
          grid: [0, 0.25, 0.5, 0.75, 1].map((part) => ({ y: y(max * part), label: String(round(max * part)) })),
          labels: months.map(({ numbers }, index) => ({ x: x(index), label: short(numbers.periodLabel) })),
          series,
          rows: months.map(({ view, numbers }, at) => ({
            periodLabel: numbers.periodLabel,
            href: view.href,
            title: view.title,
            values: values.map((column) => (column[at] === undefined ? '–' : String(column[at]))),
          })),
        }
      }),
  }
}

/** A round top for the axis: 1, 2 or 5 times a power of ten, at or above `value`. */
function niceMax(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value))
  return [1, 2, 5, 10].map((step) => step * power).find((top) => top >= value)!
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}
