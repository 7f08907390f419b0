import type { Page } from 'playwright-core'

/** Layout facts about a page's data tables, measured in the browser (no pixels compared). */
export interface TableFacts {
  /** Elements whose box sticks out past the right edge of the viewport (tag.class and width). */
  wider: string[]
  /** Table cells not wholly inside the viewport. */
  outside: string[]
  /** Cells still laid out as table cells (not stacked) yet narrower than 72 px. */
  narrow: string[]
  /** Cells of the tables matched by `padded` (Markdown tables in the body) without padding, while laid out as a table. */
  unpadded: string[]
  /** Whether every data table is stacked (its cells are not table cells). */
  stacked: boolean
  /** Words split across two lines inside a cell (a column squeezed narrower than a word). */
  split: string[]
}

/** Measure the data tables matched by `tables` (their own cells, not those of tables nested in them). */
export function tableFacts(page: Page, tables: string, padded: string): Promise<TableFacts> {
  return page.evaluate(
    ([selector, paddedSelector]) => {
      const width = document.documentElement.clientWidth
      const name = (element: Element) =>
        `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ').join('.')}` : ''}: ${(element.textContent ?? '').trim().slice(0, 30)}`
      const visible = (element: Element) => {
        const box = element.getBoundingClientRect()
        return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== 'hidden'
      }
      const wider = [...document.body.querySelectorAll('*')]
        .filter((element) => visible(element) && element.getBoundingClientRect().right > width + 0.5)
        .map(name)
      const cells = [...document.querySelectorAll(selector)].flatMap((table) =>
        [...table.querySelectorAll('td, th')].filter((cell) => cell.closest('table') === table && visible(cell)),
      )
      const asTable = cells.filter((cell) => getComputedStyle(cell).display === 'table-cell')
      return {
        wider,
        outside: cells.filter((cell) => cell.getBoundingClientRect().left < -0.5 || cell.getBoundingClientRect().right > width + 0.5).map(name),
        narrow: asTable
          .filter((cell) => cell.getBoundingClientRect().width < 72)
          .map((cell) => `${name(cell)} (${Math.round(cell.getBoundingClientRect().width)} px)`),
        unpadded: asTable
          .filter((cell) => cell.closest('table')!.matches(paddedSelector))
          .filter((cell) => parseFloat(getComputedStyle(cell).paddingTop) < 2 || parseFloat(getComputedStyle(cell).paddingBottom) < 2)
          .map(name),
        stacked: cells.length > 0 && asTable.length === 0,
        split: cells.flatMap((cell) => {
          const words: string[] = []
          const range = document.createRange()
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT)
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of (node.textContent ?? '').matchAll(/\S+/g)) {
              range.setStart(node, match.index)
              range.setEnd(node, match.index + match[0].length)
              if (range.getClientRects().length > 1) words.push(match[0])
            }
          }
          return words
        }),
      }
    },
    [tables, padded] as const,
  )
}
