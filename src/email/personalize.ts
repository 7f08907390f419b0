/** A text split once into literal pieces and `{{field}}` / `{{field|fallback}}` slots. */
export interface Template {
  pieces: string[]
  /** `url`: the slot sits in a link's URL, at its `start` (the value is the URL) or `inside` it (a part). */
  slots: { field: string; fallback: string; url?: 'start' | 'inside' }[]
}

/** Where a template's text lands: `html` marks slots in href/src values; `url` treats the whole text as one URL. */
export interface TemplateContext {
  html?: boolean
  url?: boolean
}

const slot = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|([^{}]*))?\}\}/g

/** Split a text into a template; done once per send, not per recipient. */
export function compileTemplate(source: string, context: TemplateContext = {}): Template {
  const pieces: string[] = []
  const slots: Template['slots'] = []
  const urls = context.url ? [{ start: 0, end: source.length }] : context.html ? urlValues(source) : []
  let last = 0
  for (const match of source.matchAll(slot)) {
    pieces.push(source.slice(last, match.index))
    const url = urls.find(({ start, end }) => match.index >= start && match.index < end)
    slots.push({ field: match[1]!, fallback: (match[2] ?? '').trim(), ...(url ? { url: match.index === url.start ? 'start' : 'inside' } : {}) })
    last = match.index + match[0].length
  }
  pieces.push(source.slice(last))
  return { pieces, slots }
}

/** Fill a template with one recipient's fields; `escape` makes a value safe for where it lands (HTML). */
export function fillTemplate(template: Template, fields: Readonly<Record<string, string>>, escape: (value: string) => string = (value) => value): string {
  let out = template.pieces[0]!
  for (let i = 0; i < template.slots.length; i++) {
    out += escape(valueOf(fields, template.slots[i]!)) + template.pieces[i + 1]!
  }
  return out
}

/**
 * Fill a template into UTF-8 bytes: the literal pieces are encoded once and reused, so each recipient
 * costs one buffer the size of the message instead of a string tree that has to be flattened and encoded.
 */
export function fillTemplateBytes(
  template: Template & { bytes?: Buffer[] },
  fields: Readonly<Record<string, string>>,
  escape: (value: string) => string = (value) => value,
): Buffer {
  template.bytes ??= template.pieces.map((piece) => Buffer.from(piece))
  const parts: Buffer[] = [template.bytes[0]!]
  for (let i = 0; i < template.slots.length; i++) {
    parts.push(Buffer.from(escape(valueOf(fields, template.slots[i]!))), template.bytes[i + 1]!)
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts)
}

/** The values one recipient's fields put in a template's slots, in order, each passed through `escape`. */
export function fillValues(template: Template, fields: Readonly<Record<string, string>>, escape: (value: string) => string = (value) => value): string[] {
  return template.slots.map((slot) => escape(valueOf(fields, slot)))
}

// Only the recipient's own columns: `{{constructor}}` must not reach Object.prototype.
function valueOf(fields: Readonly<Record<string, string>>, { field, fallback, url }: Template['slots'][number]): string {
  const value = (Object.hasOwn(fields, field) ? fields[field] : '') || fallback
  // In a URL a value is percent-encoded: as a whole URL it keeps its structure (so its scheme can be
  // checked), as a part it cannot add any (`?`, `#`, `/`, `:` are encoded).
  if (url === 'start') return encodeURI(value.trim())
  if (url === 'inside') return encodeURIComponent(value)
  return value
}

// The attributes whose value is a URL a reader can follow or a client fetches.
const urlAttribute = /\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi

/** Where the values of href and src attributes are in an HTML text. */
function urlValues(html: string): { start: number; end: number }[] {
  return [...html.matchAll(urlAttribute)].map((match) => {
    const value = match[1] ?? match[2]!
    const start = match.index + match[0].length - value.length - 1
    return { start, end: start + value.length }
  })
}

/** The href and src values of an HTML text that hold `{{field}}` slots, each as a URL template to check per recipient. */
export function linkTemplates(html: string): Template[] {
  return urlValues(html)
    .map(({ start, end }) => html.slice(start, end))
    .filter((value) => findSlots(value).length > 0)
    .map((value) => compileTemplate(value, { url: true }))
}

/** True when a filled URL is one a reader may be sent to: https:, http: or mailto: (no javascript:, data:, or relative URL). */
export function isSafeLink(url: string): boolean {
  return /^(?:https?:\/\/|mailto:)/i.test(url)
}

/**
 * Markdown links percent-encode their URL, so `[portal]({{portal}})` reaches the HTML as
 * `%7B%7Bportal%7D%7D`: turn such slots back into `{{portal}}` so they are filled like any other.
 */
export function restoreEncodedSlots(html: string): string {
  return html.replace(/%7B%7B((?:(?!%7D%7D)[^"'<>\s])*)%7D%7D/gi, (encoded, inner: string) => {
    let decoded: string
    try {
      decoded = `{{${decodeURIComponent(inner)}}}`
    } catch {
      return encoded
    }
    return findSlots(decoded).length === 1 && findSlots(decoded)[0]!.offset === 0 ? decoded : encoded
  })
}

/** HTML as a reader with no fields of their own sees it (the archive, "view in browser"): each slot gets its fallback. */
export function fillWithFallbacks(html: string): string {
  const template = compileTemplate(html)
  return template.slots.length === 0 ? html : fillTemplate(template, {}, escapeHtml)
}

/** Escape a value for HTML text and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

/** Where `{{field}}` slots sit in a text: the field, its offset, and whether it has a `|fallback`. */
export function findSlots(source: string): { field: string; offset: number; fallback: boolean }[] {
  return [...source.matchAll(slot)].map((match) => ({ field: match[1]!, offset: match.index, fallback: match[2] !== undefined }))
}
