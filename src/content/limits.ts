import type { Root } from 'mdast'
import type { Position } from '../errors.ts'

/** How deep quotes and lists may nest in each other: real writing stays under 5; the renderers recurse. */
export const maxDepth = 50
/** The most words one paragraph may have before it is refused (the parsers behind the writing checks recurse per word). */
export const maxParagraphWords = 5_000

/** A body that is past a limit: where, and what to say. */
export interface LimitProblem {
  reason: string
  hint: string
  place: Position
}

/** The first place a Markdown body goes past a limit, found without recursion (so the check itself cannot overflow). */
export function findLimitProblem(body: Root): LimitProblem | undefined {
  const stack: { node: { type: string; children?: unknown[]; position?: { start: Position } }; depth: number }[] = [{ node: body, depth: 0 }]
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!
    const place = node.position?.start ?? { line: 1, column: 1 }
    if (depth > maxDepth) {
      return { reason: `Quotes and lists are nested more than ${maxDepth} levels deep here`, hint: 'Flatten the quotes or lists: readers cannot follow more than a few levels', place: { line: place.line, column: place.column } }
    }
    if (node.type === 'paragraph') {
      const words = countWords(node)
      if (words > maxParagraphWords) {
        return { reason: `This paragraph has ${words.toLocaleString('en')} words; at most ${maxParagraphWords.toLocaleString('en')} are read`, hint: 'Split it into paragraphs of a few sentences', place: { line: place.line, column: place.column } }
      }
      continue
    }
    const children = (node.children ?? []) as (typeof node)[]
    const inner = node.type === 'blockquote' || node.type === 'list' ? depth + 1 : depth
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, depth: inner })
  }
  return undefined
}

function countWords(paragraph: { children?: unknown[] }): number {
  let words = 0
  const stack = [...((paragraph.children ?? []) as { value?: string; children?: unknown[] }[])]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (typeof node.value === 'string') words += node.value.split(/\s+/).filter(Boolean).length
    for (const child of (node.children ?? []) as typeof stack) stack.push(child)
  }
  return words
}
