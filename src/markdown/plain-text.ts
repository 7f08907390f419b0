import type { Nodes, PhrasingContent, RootContent, Table } from 'mdast'
import { defaultSchema } from 'rehype-sanitize'

/** Links collected while writing text, printed at the end as numbered references. */
export class LinkRefs {
  readonly urls: string[] = []
  /** The reference number of a URL, reusing the number when the URL repeats. */
  ref(url: string): number {
    const index = this.urls.indexOf(url)
    if (index >= 0) return index + 1
    this.urls.push(url)
    return this.urls.length
  }
  /** `Links:` and one `[n] url` line each, or nothing when there were no links. */
  toString(): string {
    if (this.urls.length === 0) return ''
    return ['Links:', ...this.urls.map((url, i) => `[${i + 1}] ${url}`)].join('\n')
  }
}

/** Plain-text email lines are kept short enough for every client (RFC 5322 asks for ≤ 78). */
export const textWidth = 72

/** Inline Markdown → one line of text; links become `text [n]`. */
export function inlineText(nodes: readonly PhrasingContent[] | readonly Nodes[], refs: LinkRefs): string {
  let out = ''
  let skipping: string | undefined
  for (const node of nodes as Nodes[]) {
    // Inline `<script>…</script>` arrives as an opening html node, text, and a closing html node: drop all three.
    if (node.type === 'html') {
      const open = /^<(script|style|iframe|template|textarea|noscript)\b/i.exec(node.value)
      if (skipping) {
        if (new RegExp(`</${skipping}\\s*>`, 'i').test(node.value)) skipping = undefined
        continue
      }
      if (open && !new RegExp(`</${open[1]}\\s*>`, 'i').test(node.value)) {
        skipping = open[1]
        continue
      }
    }
    if (!skipping) out += phrasing(node, refs)
  }
  return out
}

// The text part follows the HTML sanitizer's rules: a link whose scheme it would drop is shown as plain words.
const safeSchemes = defaultSchema.protocols?.href ?? []
function safeUrl(url: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase()
  return scheme === undefined || safeSchemes.includes(scheme)
}

function phrasing(node: Nodes, refs: LinkRefs): string {
  switch (node.type) {
    case 'text':
      // A soft line break in the source is a space to the reader; only `break` nodes end a line.
      return node.value.replace(/[ \t]*\n[ \t]*/g, ' ')
    case 'inlineCode':
      return node.value
    case 'break':
      return '\n'
    case 'emphasis':
    case 'strong':
    case 'delete':
    case 'paragraph':
      return inlineText(node.children, refs)
    case 'link': {
      const label = inlineText(node.children, refs)
      if (!safeUrl(node.url)) return label
      const bare = node.url.replace(/^mailto:/, '')
      if (label === node.url || label === bare) return label
      return `${label} [${refs.ref(node.url)}]`
    }
    case 'image':
      return node.alt ? `[${node.alt}]` : ''
    case 'html':
      return stripTags(node.value)
    default:
      return 'children' in node ? inlineText(node.children as PhrasingContent[], refs) : ''
  }
}

// Raw HTML has no place in the text part: keep the words between tags, drop scripts and styles whole.
function stripTags(html: string): string {
  return html
    .replace(/<(script|style|iframe|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

/** Word-wrap a paragraph, indenting continuation lines; long words (URLs) are never broken. */
export function wrap(text: string, indent = '', first = indent, width = textWidth): string {
  return text
    .split('\n')
    .map((line, lineIndex) => {
      const out: string[] = []
      let current = lineIndex === 0 ? first : indent
      let empty = true
      for (const word of line.split(/\s+/).filter(Boolean)) {
        if (!empty && current.length + 1 + word.length > width) {
          out.push(current)
          current = indent + word
        } else {
          current += (empty ? '' : ' ') + word
        }
        empty = false
      }
      out.push(current)
      return out.join('\n')
    })
    .join('\n')
}

/** Block Markdown → plain text: paragraphs wrapped, lists bulleted, tables as aligned rows or records. */
export function blocksText(nodes: readonly RootContent[], refs: LinkRefs, indent = '', separator = '\n\n'): string {
  return nodes
    .map((node) => block(node, refs, indent))
    .filter((chunk) => chunk !== '')
    .join(separator)
}

function block(node: RootContent, refs: LinkRefs, indent: string): string {
  switch (node.type) {
    case 'heading': {
      const title = inlineText(node.children, refs)
      return node.depth <= 2 ? `${indent}${title.toUpperCase()}\n${indent}${'-'.repeat(Math.min(title.length, textWidth))}` : `${indent}${title}`
    }
    case 'paragraph':
      return wrap(inlineText(node.children, refs), indent)
    case 'blockquote':
      return blocksText(node.children, refs, `${indent}> `)
    case 'list':
      return node.children
        .map((item, i) => {
          const marker = node.ordered ? `${(node.start ?? 1) + i}. ` : '- '
          const checkbox = item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : ''
          const inner = blocksText(item.children, refs, indent + ' '.repeat(marker.length), node.spread || item.spread ? '\n\n' : '\n')
          return indent + marker + checkbox + inner.slice(indent.length + marker.length)
        })
        .join(node.spread ? '\n\n' : '\n')
    case 'code':
      return node.value
        .split('\n')
        .map((line) => `${indent}    ${line}`)
        .join('\n')
    case 'thematicBreak':
      return `${indent}* * *`
    case 'table':
      return table(node, refs, indent)
    case 'html':
      return wrap(stripTags(node.value).trim(), indent)
    default:
      return ''
  }
}

function table(node: Table, refs: LinkRefs, indent: string): string {
  const rows = node.children.map((row) => row.children.map((cell) => inlineText(cell.children, refs).trim()))
  const [header = [], ...body] = rows
  const widths = header.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)))
  const total = widths.reduce((sum, width) => sum + width + 2, indent.length)
  if (total <= textWidth) {
    const line = (row: string[]) =>
      indent +
      row
        .map((cell, col) => cell.padEnd(widths[col] ?? 0))
        .join('  ')
        .trimEnd()
    return [line(header), indent + widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n')
  }
  // Too wide for a plain-text line: one record per row, `Header: value`.
  return body.map((row) => row.map((cell, col) => wrap(`${header[col] ?? ''}: ${cell}`, `${indent}  `, indent)).join('\n')).join('\n\n')
}
