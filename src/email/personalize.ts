/** A text split once into literal pieces and `{{field}}` / `{{field|fallback}}` slots. */
export interface Template {
  pieces: string[]
  slots: { field: string; fallback: string }[]
}

const slot = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|([^{}]*))?\}\}/g

/** Split a text into a template; done once per send, not per recipient. */
export function compileTemplate(source: string): Template {
  const pieces: string[] = []
  const slots: Template['slots'] = []
  let last = 0
  for (const match of source.matchAll(slot)) {
    pieces.push(source.slice(last, match.index))
    slots.push({ field: match[1]!, fallback: (match[2] ?? '').trim() })
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
export function fillTemplateBytes(template: Template & { bytes?: Buffer[] }, fields: Readonly<Record<string, string>>, escape: (value: string) => string = (value) => value): Buffer {
  template.bytes ??= template.pieces.map((piece) => Buffer.from(piece))
  const parts: Buffer[] = [template.bytes[0]!]
  for (let i = 0; i < template.slots.length; i++) {
    parts.push(Buffer.from(escape(valueOf(fields, template.slots[i]!))), template.bytes[i + 1]!)
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts)
}

// Only the recipient's own columns: `{{constructor}}` must not reach Object.prototype.
function valueOf(fields: Readonly<Record<string, string>>, { field, fallback }: Template['slots'][number]): string {
  return (Object.hasOwn(fields, field) ? fields[field] : '') || fallback
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
