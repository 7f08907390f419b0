import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml'

/** The longest front-matter text read: a summary or an answer is a few hundred characters, and the writing checks slow down past this. */
export const maxTextLength = 20_000

/** What is wrong with a value and how to fix it. */
export interface Problem {
  reason: string
  hint?: string
}

/** A string check: returns a problem, or nothing when the value is fine. */
export type Check = (value: string) => Problem | undefined

/**
 * How readers see a front-matter text, which decides how it is rendered and checked: `markdown` becomes HTML (a lone
 * paragraph inline), `title` is shown as written as a heading or a name (too short to explain a term in), `plain` is
 * shown as written. The writing checks read all three.
 */
export type ProseKind = 'markdown' | 'title' | 'plain'

/** A text value: what it must look like, and whether readers see it as prose (`false`: an id, a date, a link). */
export interface StringSpec {
  readonly kind: 'string'
  readonly check?: Check
  readonly prose?: ProseKind | false
}

/** The shape a front-matter value must have. */
export type Spec =
  | StringSpec
  | { readonly kind: 'integer'; readonly min: number }
  /** A number with decimals (hours, a share), from `min` to `max`. */
  | { readonly kind: 'number'; readonly min: number; readonly max?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'list'; readonly of: Spec }
  | { readonly kind: 'object'; readonly fields: Fields }

/** One key of an object: its shape, and whether it must be there or what it is when it is not. */
export interface Field {
  readonly spec: Spec
  readonly required?: boolean
  /** The value when the key is missing (a list's `[]`, a status's `draft`). */
  readonly default?: unknown
}

/** The keys an object may have. */
export type Fields = Readonly<Record<string, Field>>

/**
 * A document's spec: every text in it says whether it is prose, so a new field cannot be left out of rendering and
 * checking by forgetting it.
 */
export type DocSpec =
  | (StringSpec & { readonly prose: ProseKind | false })
  | Exclude<Spec, { kind: 'string' | 'list' | 'object' }>
  | { readonly kind: 'list'; readonly of: DocSpec }
  | { readonly kind: 'object'; readonly fields: DocFields }

/** The keys of a document's front matter, or of an object in it. */
export type DocFields = Readonly<Record<string, Field & { readonly spec: DocSpec }>>

/**
 * The TypeScript type of a value that passed `spec`: declared once, at runtime, so type and validator cannot drift.
 * `M` is the type of its Markdown texts: a string as read, rendered prose once `mapMarkdown` has turned them.
 */
export type Infer<S, M = string> = S extends { kind: 'string'; prose: 'markdown' }
  ? M
  : S extends { kind: 'string' }
    ? string
    : S extends { kind: 'integer' | 'number' }
      ? number
      : S extends { kind: 'boolean' }
        ? boolean
        : S extends { kind: 'enum'; values: readonly (infer V)[] }
          ? V
          : S extends { kind: 'list'; of: infer O }
            ? Infer<O, M>[]
            : S extends { kind: 'object'; fields: infer F }
              ? InferFields<F, M>
              : never

type Always<F> = { [K in keyof F]: F[K] extends { required: true } | { default: unknown } ? K : never }[keyof F]

/** The TypeScript type of an object validated against `fields`: required and defaulted keys are always there. */
export type InferFields<F, M = string> = { -readonly [K in Always<F>]: F[K] extends { spec: infer S } ? Infer<S, M> : never } & {
  -readonly [K in Exclude<keyof F, Always<F>>]?: F[K] extends { spec: infer S } ? Infer<S, M> : never
}

/** A problem found while validating, at a character offset in the YAML source. */
export interface Finding extends Problem {
  rule: string
  offset: number
}

/** The result of validating: the plain value, the problems, and where each value sits (`patches.0.restart`). */
export interface Validated {
  value: unknown
  findings: Finding[]
  offsets: Map<string, number>
}

/** Walk a parsed YAML node against a spec, collecting every problem rather than stopping at the first. */
export function validateNode(node: Node | null, spec: Spec, rootOffset: number, area = 'front-matter'): Validated {
  const findings: Finding[] = []
  const offsets = new Map<string, number>()
  const value = walk(node, spec, { name: '', path: '', offset: rootOffset, findings, offsets, area })
  return { value, findings, offsets }
}

interface Walk {
  name: string
  path: string
  offset: number
  findings: Finding[]
  offsets: Map<string, number>
  /** The first part of every rule id: `front-matter`, `settings` or `glossary`. */
  area: string
}

function walk(node: Node | null, spec: Spec, at: Walk): unknown {
  const offset = node?.range?.[0] ?? at.offset
  at.offsets.set(at.path, offset)
  const fail = (reason: string, hint?: string): undefined => {
    at.findings.push({ reason, hint, rule: `${at.area}/${at.name || 'shape'}`, offset })
    return undefined
  }
  const label = at.name ? `\`${at.name}\`` : 'The front matter'
  switch (spec.kind) {
    case 'object':
      return isMap(node) ? walkObject(node, spec.fields, at, offset) : fail(`${label} must be a set of \`key: value\` lines`, nested(spec.fields))
    case 'list': {
      if (!isSeq(node)) return fail(`${label} must be a list`, 'Write it as `[a, b]` or as lines starting with `- `')
      return node.items.map((item, index) =>
        walk(item as Node, spec.of, { ...at, path: `${at.path}.${index}`, offset: (item as Node)?.range?.[0] ?? offset }),
      )
    }
    case 'string': {
      if (!isScalar(node) || typeof node.value === 'boolean' || node.value === null || typeof node.value === 'object') {
        return fail(`${label} must be text`, 'Put the value in quotes if it is meant as text')
      }
      const text = typeof node.value === 'string' ? node.value : (node.source ?? String(node.value))
      if (text.trim() === '') return fail(`${label} must not be empty`)
      if (text.length > maxTextLength) return fail(`${label} is ${text.length.toLocaleString('en')} characters long; at most ${maxTextLength.toLocaleString('en')} are read`, 'Move long text into the body, under a `##` heading')
      const problem = spec.check?.(text)
      if (problem) return fail(`${label} ${problem.reason}`, problem.hint)
      return text
    }
    case 'integer': {
      if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value) || node.value < spec.min) {
        return fail(`${label} must be a whole number ≥ ${spec.min}, got \`${sourceOf(node)}\``)
      }
      return node.value
    }
    case 'number': {
      const range = spec.max === undefined ? `≥ ${spec.min}` : `from ${spec.min} to ${spec.max}`
      if (!isScalar(node) || typeof node.value !== 'number' || !Number.isFinite(node.value) || node.value < spec.min || node.value > (spec.max ?? Infinity)) {
        return fail(`${label} must be a number ${range}, got \`${sourceOf(node)}\``, 'Write it with a dot for decimals, e.g. 1.5')
      }
      return node.value
    }
    case 'boolean': {
      if (!isScalar(node) || typeof node.value !== 'boolean') {
        return fail(`${label} must be true or false, got \`${sourceOf(node)}\``)
      }
      return node.value
    }
    case 'enum': {
      const text = isScalar(node) ? String(node.value) : ''
      if (!spec.values.includes(text)) {
        const guess = closest(text, spec.values)
        return fail(
          `${label} must be one of ${spec.values.join(' | ')}, got \`${sourceOf(node)}\``,
          guess ? `Did you mean \`${guess}\`?` : undefined,
        )
      }
      return text
    }
  }
}

function nested(fields: Fields): string {
  return `Expected keys: ${Object.keys(fields).join(', ')}`
}

function sourceOf(node: Node | null): string {
  if (isScalar(node)) return node.source ?? String(node.value)
  if (isSeq(node)) return 'a list'
  if (isMap(node)) return 'a set of keys'
  return 'nothing'
}

/** The known word closest to a typo, when it is close enough to be what was meant. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/** A text of a validated value that readers see as prose: where it is (`threat.signs.0`), how it is shown, and the text. */
export interface ProseValue {
  path: string
  kind: ProseKind
  text: string
}

/** Every prose text of a value validated against `fields`, in the order the keys are declared. */
export function proseValues(value: object, fields: Fields): ProseValue[] {
  const found: ProseValue[] = []
  mapProse(value, { kind: 'object', fields }, '', (text, path, kind) => {
    found.push({ path, kind, text })
    return text
  })
  return found
}

/** A value validated against `fields`, with each Markdown text replaced by `render(text, path)` and the rest as it was. */
export function mapMarkdown<F extends Fields, M>(value: NoInfer<InferFields<F>>, fields: F, render: (text: string, path: string) => M): InferFields<F, M> {
  // The walk follows the same spec as InferFields: a Markdown text becomes an M, and nothing else changes.
  return mapProse(value, { kind: 'object', fields }, '', (text, path, kind) => (kind === 'markdown' ? render(text, path) : text)) as InferFields<F, M>
}

// Keys are visited in the order the spec declares them, and the result keeps the value's own order and keys.
function mapProse(value: unknown, spec: Spec, path: string, each: (text: string, path: string, kind: ProseKind) => unknown): unknown {
  switch (spec.kind) {
    case 'string':
      return spec.prose ? each(value as string, path, spec.prose) : value
    case 'list':
      return (value as unknown[]).map((item, index) => mapProse(item, spec.of, `${path}.${index}`, each))
    case 'object': {
      const record = value as Record<string, unknown>
      const result = { ...record }
      for (const [key, field] of Object.entries(spec.fields)) {
        if (record[key] !== undefined) result[key] = mapProse(record[key], field.spec, path ? `${path}.${key}` : key, each)
      }
      return result
    }
    default:
      return value
  }
}

/** The keys of a YAML map against the fields of an object spec: unknown keys, missing required ones, defaults. */
function walkObject(node: YAMLMap, fields: Fields, at: Walk, offset: number): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  const known = Object.keys(fields)
  for (const pair of node.items as Pair<Node, Node | null>[]) {
    const keyNode = pair.key
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode)
    const keyOffset = keyNode?.range?.[0] ?? offset
    const field = fields[key]
    if (!field) {
      const guess = closest(key, known)
      at.findings.push({
        reason: `Unknown key \`${key}\`${at.name ? ` in \`${at.name}\`` : ''}`,
        hint: guess ? `Did you mean \`${guess}\`?` : `Known keys: ${known.join(', ')}`,
        rule: `${at.area}/unknown-key`,
        offset: keyOffset,
      })
      continue
    }
    const valueOffset = pair.value?.range?.[0] ?? keyNode?.range?.[1] ?? keyOffset
    const path = at.path ? `${at.path}.${key}` : key
    if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) {
      if (field.required) {
        at.findings.push({ reason: `\`${key}\` is required but has no value`, rule: `${at.area}/${key}`, offset: valueOffset })
      }
      at.offsets.set(path, valueOffset)
      continue
    }
    result[key] = walk(pair.value, field.spec, { ...at, name: key, path, offset: valueOffset })
  }
  for (const [key, field] of Object.entries(fields)) {
    const present = node.items.some((pair) => isScalar(pair.key) && String(pair.key.value) === key)
    if (!present && field.default !== undefined) result[key] = structuredClone(field.default)
    if (field.required && !present) {
      at.findings.push({
        reason: `\`${key}\` is required${at.name ? ` in \`${at.name}\`` : ''}`,
        hint: `Add a line \`${key}: …\``,
        rule: `${at.area}/${key}`,
        offset,
      })
    }
  }
  return result
}
