/** One bar of the feedback chart: an issue, how many answered, and how many of them found it useful. */
export interface FeedbackBar {
  /** Under the bar: `14` for issue 14. */
  label: string
  answers: number
  yes: number
}

const width = 640
const height = 240
const margin = { top: 24, right: 8, bottom: 40, left: 44 }

/**
 * The share of answers that said "it helped", one bar per issue, oldest first, as inline SVG: `role="img"` with a
 * `<title>` and a `<desc>` that says every figure (the table beside it says them too). Colours are the page's own
 * (`--link`, `--text`, `--line`), so the chart follows the reader's light or dark mode. Text is escaped.
 */
export function feedbackChart(bars: readonly FeedbackBar[], title: string): string {
  const plotWidth = width - margin.left - margin.right
  const plotHeight = height - margin.top - margin.bottom
  const step = plotWidth / Math.max(bars.length, 1)
  const barWidth = Math.min(48, step * 0.6)
  const y = (share: number) => margin.top + plotHeight * (1 - share)
  const desc = bars.map((bar) => `Issue ${bar.label}: ${percent(bar)}% of ${bar.answers} found it useful`).join('; ')
  const grid = [0, 0.5, 1].map(
    (share) =>
      `<line class="axis" x1="${margin.left}" x2="${width - margin.right}" y1="${y(share)}" y2="${y(share)}"/><text class="tick" x="${margin.left - 6}" y="${y(share) + 4}" text-anchor="end">${share * 100}%</text>`,
  )
  const columns = bars.map((bar, i) => {
    const share = bar.answers === 0 ? 0 : bar.yes / bar.answers
    const x = margin.left + step * i + (step - barWidth) / 2
    const top = y(share)
    return [
      `<rect class="bar" x="${round(x)}" y="${round(top)}" width="${round(barWidth)}" height="${round(margin.top + plotHeight - top)}"/>`,
      `<text class="value" x="${round(x + barWidth / 2)}" y="${round(top - 6)}" text-anchor="middle">${percent(bar)}%</text>`,
      `<text class="tick" x="${round(x + barWidth / 2)}" y="${height - margin.bottom + 18}" text-anchor="middle">${escape(bar.label)}</text>`,
    ].join('')
  })
  return [
    `<svg class="feedback-chart" role="img" aria-labelledby="feedback-chart-title feedback-chart-desc" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMidYMid meet">`,
    `<title id="feedback-chart-title">${escape(title)}</title>`,
    `<desc id="feedback-chart-desc">${escape(desc || 'No answers yet.')}</desc>`,
    ...grid,
    ...columns,
    `<text class="tick" x="${margin.left + plotWidth / 2}" y="${height - 6}" text-anchor="middle">Issue</text>`,
    '</svg>',
  ].join('')
}

function percent(bar: FeedbackBar): number {
  return bar.answers === 0 ? 0 : Math.round((100 * bar.yes) / bar.answers)
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
