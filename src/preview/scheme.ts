/**
 * How an email frame is shown: as sent, in the email's own dark styles, force-inverted like mail apps do, or
 * unstyled: with its `<style>` blocks dropped, as Gmail does for non-Google accounts and some Outlook apps.
 */
export type Scheme = 'light' | 'dark' | 'invert' | 'unstyled'

/** The scheme names the preview serves. */
export const schemes: readonly Scheme[] = ['light', 'dark', 'invert', 'unstyled']

/** True for the scheme names the preview serves. */
export function isScheme(value: string): value is Scheme {
  return (schemes as readonly string[]).includes(value)
}

// The same filter the preview page (client/preview.css) puts on the inverted frame; images get it twice, which restores them.
const invertFilter = 'invert(1) hue-rotate(180deg)'

/**
 * Rewrite an email for one scheme. `dark` turns the email's own `prefers-color-scheme` media queries on or
 * off, so the frame shows its dark styles whatever the viewer's system is set to; `invert` re-inverts
 * images, because apps that force dark mode (Outlook, Gmail on phones) invert the page but not photos.
 */
export function applyScheme(html: string, scheme: Scheme): string {
  if (scheme === 'light') return html
  // Inline style attributes stay: they are what such clients keep.
  if (scheme === 'unstyled') return html.replace(/<style\b[^>]*>[\s\S]*?<\/style\s*>/gi, '')
  if (scheme === 'invert') return insertHead(html, `<style>img { filter: ${invertFilter}; }</style>`)
  // Features, not `all`, so queries like `screen and (prefers-color-scheme: dark)` stay valid; a negative
  // width is an invalid feature, which makes its query false.
  const rewritten = html
    .replace(/\(\s*prefers-color-scheme\s*:\s*dark\s*\)/g, '(min-width: 0px)')
    .replace(/\(\s*prefers-color-scheme\s*:\s*light\s*\)/g, '(max-width: -1px)')
  return insertHead(rewritten, '<style>:root { color-scheme: dark; }</style>')
}

function insertHead(html: string, markup: string): string {
  const at = html.search(/<\/head>/i)
  return at === -1 ? markup + html : html.slice(0, at) + markup + html.slice(at)
}
