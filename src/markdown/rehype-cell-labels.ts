import type { Element, ElementContent, Root } from 'hast'

/**
 * Give every body cell after the first a `<span class="cell-label">Header: </span>`, hidden on wide screens:
 * on a phone the email and the archive show each row as a small card, and the label says what each value is.
 */
export function rehypeCellLabels() {
  return (tree: Root) =>
    eachTable(tree, (table) => {
      const rows = elements(table).flatMap((part) => (part.tagName === 'tr' ? [part] : elements(part).filter((row) => row.tagName === 'tr')))
      const [head, ...body] = rows
      if (!head || !elements(head).every((cell) => cell.tagName === 'th')) return
      const headers = elements(head).map(textOf)
      for (const row of body) {
        elements(row).forEach((cell, i) => {
          const header = headers[i]
          if (i === 0 || !header) return
          cell.children.unshift({
            type: 'element',
            tagName: 'span',
            properties: { className: ['cell-label'] },
            children: [{ type: 'text', value: `${header}: ` }],
          })
        })
      }
    })
}

/** Call `label` on every table, outer before inner; a plain walk, since unist-util-visit's bookkeeping cost more than the labels. */
function eachTable(node: Root | Element, label: (table: Element) => void): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue
    if (child.tagName === 'table') label(child)
    eachTable(child, label)
  }
}

function elements(node: Element): Element[] {
  return node.children.filter((child): child is Element => child.type === 'element')
}

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value
  return node.type === 'element' ? node.children.map(textOf).join('').trim() : ''
}
