import type { Root as HastRoot } from 'hast'
import type { Root, RootContent } from 'mdast'
import rehypeRaw from 'rehype-raw'
import rehypeSanitize from 'rehype-sanitize'
import rehypeStringify from 'rehype-stringify'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'

// Raw HTML is parsed (rehype-raw) and then sanitized with GitHub's schema: no script, no on* handlers,
// no javascript:/data: URLs, no iframes or forms. The same tree feeds the email and the archive.
const toHtml = unified()
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRaw)
  .use(rehypeSanitize)
  .freeze()
const stringify = unified().use(rehypeStringify).freeze()

/** mdast nodes → a sanitized HTML fragment. */
export function nodesToHtml(nodes: readonly RootContent[]): string {
  const root: Root = { type: 'root', children: [...nodes] }
  const hast = toHtml.runSync(root) as HastRoot
  return stringify.stringify(hast)
}
