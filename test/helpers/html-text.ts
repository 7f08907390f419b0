import { DomUtils, parseDocument } from 'htmlparser2'
import type { AnyNode, Element, Text } from 'domhandler'

/** The elements of an HTML page (or of an element) that pass `test`, in document order, the element itself included. */
export function findElements(html: string | AnyNode, test: (element: Element) => boolean): Element[] {
  return DomUtils.findAll(test, typeof html === 'string' ? parseDocument(html).children : [html])
}

/** An element's text as a reader sees it, on one line: a paragraph, list item or line break is a space, runs of spaces one. */
export function readableText(node: AnyNode): string {
  return spoken(node).replace(/\s+/g, ' ').trim()
}

function spoken(node: AnyNode): string {
  if (node.type === 'text') return (node as Text).data
  if (!('children' in node)) return ''
  return node.children.map((child) => (['p', 'br', 'li'].includes((child as Element).name) ? ` ${spoken(child)} ` : spoken(child))).join('')
}
