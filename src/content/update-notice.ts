import { isMap, isScalar, isSeq, parseDocument, Scalar, type Document, type Node, type Pair, type YAMLMap, visit } from 'yaml'
import { NewsletterError } from '../errors.ts'
import { createLocator } from './position.ts'
import type { NoticeState } from './types.ts'

/** One update to append to a notice. */
export interface NoticeUpdateInput {
  /** When it was written, YYYY-MM-DDTHH:MM. */
  time: string
  state: NoticeState
  text: string
  /** When the next update is due; with none, an existing `next_update` stays unless `closes` is set. */
  nextUpdate?: string
  /** The new state ends the notice (resolved, completed): a `next_update` no longer means anything and is dropped. */
  closes?: boolean
}

/** A notice's text with one update appended, and the 1-based line of the file where the new update starts. */
export interface UpdatedNotice {
  text: string
  line: number
}

const frontMatter = /^(---[^\S\r\n]*\r?\n)([\s\S]*?\r?\n)(---[^\S\r\n]*(?:\r?\n|$))/

/**
 * Append an update to a notice's front matter and set `state` (and `next_update`), through the YAML document model:
 * comments, quoting, key order and blank lines stay as the author wrote them, and the body is untouched.
 */
export function appendNoticeUpdate(text: string, update: NoticeUpdateInput): UpdatedNotice {
  const match = frontMatter.exec(text)
  if (!match) throw new NewsletterError('The file has no front matter to add the update to', 'content')
  const [, opening, yamlText, closing] = match as unknown as [string, string, string, string]
  const crlf = yamlText.includes('\r\n')
  const source = yamlText.replace(/\r\n/g, '\n')
  const document = parseDocument(source)
  if (document.errors.length > 0 || !isMap(document.contents)) throw new NewsletterError('The front matter is not valid YAML; fix it before adding an update', 'content')
  const map = document.contents as YAMLMap<unknown, unknown>
  setScalar(document, map, 'state', update.state)
  if (update.nextUpdate) setScalar(document, map, 'next_update', update.nextUpdate)
  else if (update.closes) map.delete('next_update')
  const entry = document.createNode({ time: update.time, state: update.state, text: update.text })
  const textNode = entry.get('text', true) as Scalar
  textNode.type = Scalar.QUOTE_DOUBLE
  const updates = map.get('updates', true)
  if (isSeq(updates)) {
    // `updates: []` grows into the usual block list rather than a one-line flow list.
    if (updates.items.length === 0) updates.flow = false
    updates.items.push(entry)
  } else {
    map.set('updates', document.createNode([entry]))
  }
  let yaml = document.toString({ lineWidth: 0, flowCollectionPadding: flowPadding(document, source) })
  if (crlf) yaml = yaml.replace(/\n/g, '\r\n')
  const next = opening + yaml + closing + text.slice(match[0].length)
  return { text: next, line: newUpdateLine(next, opening.length) }
}

/** Change a scalar in place (so a comment on its line stays), or add the key at the end. */
function setScalar(document: Document, map: YAMLMap<unknown, unknown>, key: string, value: string): void {
  const pair = (map.items as Pair<Node, Node | null>[]).find((item) => isScalar(item.key) && item.key.value === key)
  if (pair && isScalar(pair.value)) pair.value.value = value
  else if (pair) pair.value = document.createNode(value)
  else map.set(key, value)
}

/** Whether the author writes `{ a: 1 }` or `{a: 1}`: the first flow collection decides (the yaml package picks one for all). */
function flowPadding(document: Document, source: string): boolean {
  let padded = false
  visit(document, {
    Collection(_, node) {
      if (!node.flow || !node.range) return undefined
      padded = /^[[{][ \t]/.test(source.slice(node.range[0]))
      return visit.BREAK
    },
  })
  return padded
}

function newUpdateLine(text: string, yamlStart: number): number {
  const match = frontMatter.exec(text)!
  const document = parseDocument(match[2]!)
  const updates = (document.contents as YAMLMap<unknown, unknown>).get('updates', true)
  const last = isSeq(updates) ? (updates.items.at(-1) as Node | undefined) : undefined
  return createLocator(text)(yamlStart + (last?.range?.[0] ?? 0)).line
}

/** The wall-clock minute of `date` in an IANA time zone, written YYYY-MM-DDTHH:MM (how notices write times). */
export function minuteIn(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`
}
