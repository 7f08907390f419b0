import { describe, expect, it } from 'vitest'
import { nodesToHtml } from '../../src/markdown/html.ts'
import { parseMarkdown } from '../../src/markdown/parse.ts'

const html = (markdown: string) => nodesToHtml(parseMarkdown(markdown).children).replace(/\n/g, '')

describe('table cell labels', () => {
  it('labels every body cell after the first with its column header, for the phone cards', () => {
    expect(html('| Date | Topic | Room |\n|---|---|---|\n| 6 Oct | *Phishing* | 2 |')).toContain(
      '<tr><td>6 Oct</td><td><span class="cell-label">Topic: </span><em>Phishing</em></td><td><span class="cell-label">Room: </span>2</td></tr>',
    )
  })

  it('leaves a column without a header, and tables in raw HTML without a header row, unlabelled', () => {
    expect(html('| Date | |\n|---|---|\n| 6 Oct | x |')).toContain('<td>6 Oct</td><td>x</td>')
    expect(html('<table><tr><td>a</td><td>b</td></tr></table>')).not.toContain('cell-label')
  })
})
