import type { Root as HastRoot } from 'hast'
import type { Root, RootContent } from 'mdast'
import rehypeRaw from 'rehype-raw'
import rehypeSanitize from 'rehype-sanitize'
import rehypeStringify from 'rehype-stringify'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { rehypeCellLabels } from './rehype-cell-labels.ts'

// Raw HTML is parsed (rehype-raw) and then sanitized with GitHub's schema: no script, no on* handlers,
// no javascript:/data: URLs, no iframes or forms. The same tree feeds the email and the archive.
// Table cell labels are added after sanitizing: their class is ours, not the writer's.
const withRaw = unified().use(remarkRehype, { allowDangerousHtml: true }).use(rehypeRaw).use(rehypeSanitize).use(rehypeCellLabels).freeze()
// rehype-raw runs a whole HTML parser; most prose has no raw HTML, and the sanitizer alone suffices there.
const withoutRaw = unified().use(remarkRehype).use(rehypeSanitize).use(rehypeCellLabels).freeze()
const stringify = unified().use(rehypeStringify).freeze()

/** mdast nodes → a sanitized HTML fragment. */
export function nodesToHtml(nodes: readonly RootContent[]): string {
  return nodesToHtmlMany([nodes])[0]!
}

/**
 * Several fragments in one run: each is boxed in a <div> so the sanitizer sees them as one tree,
 * then every box is written out on its own.
 */
export function nodesToHtmlMany(fragments: readonly (readonly RootContent[])[]): string[] {
  const boxes = fragments.map((children) => ({ type: 'blockquote', data: { hName: 'div' }, children: [...children] }) as RootContent)
  const root: Root = { type: 'root', children: boxes }
  const hast = (hasRawHtml(root) ? withRaw : withoutRaw).runSync(root) as HastRoot
  const elements = hast.children.filter((node) => node.type === 'element')
  // Raw HTML such as a stray </div> can break out of its box; then render each fragment alone.
  if (fragments.length > 1 && (elements.length !== fragments.length || hast.children.some((node) => node.type === 'text' && node.value.trim()))) {
    return fragments.map((children) => nodesToHtmlMany([children])[0]!)
  }
  return elements.map((box) => stringify.stringify({ type: 'root', children: box.children }).trim())
}

function hasRawHtml(node: Root | RootContent): boolean {
  return node.type === 'html' || ('children' in node && (node.children as RootContent[]).some(hasRawHtml))
}
