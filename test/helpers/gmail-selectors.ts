import { createRequire } from 'node:module'

interface Feature {
  slug: string
  stats: Record<string, Record<string, Record<string, string>>>
}

// caniemail.com's data, shipped in the `caniemail` package: read offline, never fetched.
const data = createRequire(import.meta.url)('caniemail/caniemail.json') as { data: Feature[] }

/** Whether Gmail on the web supports a caniemail feature today ('y' in its latest entry). */
export function gmailSupports(slug: string): boolean {
  const entries = Object.entries(data.data.find((feature) => feature.slug === slug)?.stats.gmail?.['desktop-webmail'] ?? {})
  const latest = entries.sort(([a], [b]) => a.localeCompare(b)).at(-1)?.[1] ?? 'n'
  return latest.startsWith('y')
}

/** The caniemail features a selector uses: `.card > td:hover` → class, child, type, pseudo-class-hover. */
export function selectorFeatures(selector: string): string[] {
  const features = new Set<string>()
  const rest = selector
    .replace(/\[[^\]]*\]/g, () => (features.add('css-selector-attribute'), ' '))
    .replace(
      /::?([a-z-]+)(\([^)]*\))?/gi,
      (_, name: string, __, offset: number, all: string) => (
        features.add(all[offset + 1] === ':' ? `css-pseudo-element-${name}` : `css-pseudo-class-${name}`),
        ' '
      ),
    )
  if (/\.[\w-]+/.test(rest)) features.add('css-selector-class')
  if (/#[\w-]+/.test(rest)) features.add('css-selector-id')
  if (/(^|[\s>+~])[a-z][\w-]*/i.test(rest.replace(/[.#][\w-]+/g, ''))) features.add('css-selector-type')
  if (/\*/.test(rest)) features.add('css-selector-universal')
  if (/>/.test(rest)) features.add('css-selector-child')
  if (/\+/.test(rest)) features.add('css-selector-adjacent-sibling')
  if (/~/.test(rest)) features.add('css-selector-general-sibling')
  if (/\S\s+\S/.test(rest.replace(/\s*[>+~]\s*/g, '>').trim())) features.add('css-selector-descendant')
  return [...features]
}

/** Every selector of every rule in a stylesheet, with the @media queries around it. */
export function selectorsOf(css: string): { selector: string; media: string[] }[] {
  const out: { selector: string; media: string[] }[] = []
  const stack: string[] = []
  let buffer = ''
  for (const char of css.replace(/\/\*[\s\S]*?\*\//g, '')) {
    if (char === '{') {
      const head = buffer.trim()
      buffer = ''
      stack.push(head)
      if (!head.startsWith('@')) for (const selector of head.split(',')) out.push({ selector: selector.trim(), media: stack.filter((h) => h.startsWith('@')) })
    } else if (char === '}') {
      stack.pop()
      buffer = ''
    } else {
      buffer += char
    }
  }
  return out
}
