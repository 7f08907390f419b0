import type { VFile } from 'vfile'
import { report, type Position } from '../errors.ts'
import type { Fields } from '../content/schema.ts'

/** How much a rule matters: `off` silences it everywhere. */
export type Severity = 'off' | 'warning' | 'error'

/** Every writing and email check, with its default severity and what it looks for. */
export const rules = {
  'plain/simpler': { severity: 'warning', about: 'a phrase with a simpler alternative' },
  'plain/jargon': { severity: 'warning', about: 'IT jargon from the glossary' },
  'plain/acronym': { severity: 'warning', about: 'an acronym not expanded on first use' },
  'plain/sentence-length': { severity: 'warning', about: 'a sentence over `sentence_words` words' },
  'plain/paragraph-length': { severity: 'warning', about: 'a paragraph over `paragraph_words` words' },
  'plain/readability': { severity: 'warning', about: 'a document above the target reading grade' },
  'plain/passive': { severity: 'warning', about: 'an agentless or impersonal passive, or a stock apology or evasion' },
  'content/placeholder': { severity: 'error', about: 'a prompt written by `newsletter new` that was never replaced' },
  'content/file-name': { severity: 'warning', about: 'a notice whose file name still ends in `-notice`' },
  'email/size': { severity: 'error', about: "HTML over Gmail's 102 KB clip (warning from 90 KB)" },
  'email/style-size': { severity: 'error', about: "`<style>` over Gmail's 16 KB" },
  'email/image-alt': { severity: 'error', about: 'an image without alt text' },
  'email/link-text': { severity: 'warning', about: 'link text like "click here"' },
  'email/heading-order': { severity: 'warning', about: 'a heading level that skips' },
  'links/issue': { severity: 'error', about: 'a link to an issue or notice that does not exist' },
  'links/image': { severity: 'error', about: 'a local image that does not exist' },
  'links/malformed': { severity: 'error', about: 'a malformed `mailto:` or `https:` link' },
  'links/http': { severity: 'warning', about: 'an insecure `http:` link' },
  'links/online': { severity: 'error', about: 'an external link that fails (`check --online`)' },
  'sense/restart-action': { severity: 'warning', about: 'a patch with `restart: true` but no `action`' },
  'sense/threat-report': { severity: 'warning', about: 'a threat without `report`' },
  'sense/summary-length': { severity: 'warning', about: 'a summary over 140 characters' },
  'sense/date': { severity: 'warning', about: 'an unpublished date more than 60 days from today' },
  'departments/no-contact': { severity: 'warning', about: 'a department in departments.yml without a `contact`' },
  'departments/no-recipients': { severity: 'warning', about: 'with `check --recipients FILE`: something for a department nobody in the file is in' },
  'sense/project-slip': { severity: 'warning', about: 'a project whose status got worse or whose date moved later, with no `why`' },
} as const satisfies Record<string, { severity: Severity; about: string }>

/** A rule id, e.g. `plain/jargon`. */
export type RuleId = keyof typeof rules

/** The `checks:` key of the settings file. */
export interface ChecksSettings {
  /** Highest acceptable reading grade of a document (default: 9). */
  readability_grade?: number
  /** Longest sentence, in words (default: 25). */
  sentence_words?: number
  /** Longest paragraph, in words (default: 100). */
  paragraph_words?: number
  /** Per-rule severity: `off`, `warning` or `error`. */
  rules?: Partial<Record<RuleId, Severity>>
}

/** Validation of the `checks:` key; rule names are checked against the table so typos are caught. */
export const checksFields: Fields = {
  readability_grade: { spec: { kind: 'integer', min: 1 } },
  sentence_words: { spec: { kind: 'integer', min: 5 } },
  paragraph_words: { spec: { kind: 'integer', min: 10 } },
  rules: {
    spec: {
      kind: 'object',
      fields: Object.fromEntries(Object.keys(rules).map((id) => [id, { spec: { kind: 'enum', values: ['off', 'warning', 'error'] } }])),
    },
  },
}

/** Numbers the checks use, settings applied over defaults. */
export interface Limits {
  readabilityGrade: number
  sentenceWords: number
  paragraphWords: number
}

/** The limits from settings, with defaults. */
export function limitsOf(settings: ChecksSettings | undefined): Limits {
  return {
    readabilityGrade: settings?.readability_grade ?? 9,
    sentenceWords: settings?.sentence_words ?? 25,
    paragraphWords: settings?.paragraph_words ?? 100,
  }
}

/** An unambiguous rewrite `check --fix` may make: the text at the message's place, and what replaces it. */
export interface Fix {
  actual: string
  expected: string
}

/**
 * Puts a rule's message on a file unless the rule is off or silenced on that line; `cap` keeps an early warning from
 * becoming an error; `fix` is kept on the message as its `actual` and `expected`.
 */
export type Emit = (rule: RuleId, place: Position | undefined, reason: string, hint?: string, cap?: 'warning', fix?: Fix) => void

/** An `Emit` for one document: applies the configured severity and the `newsletter-disable-next-line` comments of `source`. */
export function createEmitter(file: VFile, settings: ChecksSettings | undefined, source = String(file.value ?? '')): Emit {
  const silenced = disabledLines(source)
  return (rule, place, reason, hint, cap, fix) => {
    const configured = settings?.rules?.[rule] ?? rules[rule].severity
    if (configured === 'off') return
    const severity = cap ?? configured
    const ids = place && silenced.get(place.line)
    if (ids && (ids.size === 0 || ids.has(rule))) return
    report(file, severity, reason, rule, place, hint)
    if (fix) Object.assign(file.messages[file.messages.length - 1]!, { actual: fix.actual, expected: [fix.expected] })
  }
}

// `<!-- newsletter-disable-next-line rule-id -->` in Markdown, `# newsletter-disable-next-line rule-id` in front matter.
// No rule id silences every rule on the next line.
const disableComment = /^\s*(?:<!--\s*newsletter-disable-next-line((?:\s+[\w/-]+)*)\s*-->|#\s*newsletter-disable-next-line((?:\s+[\w/-]+)*))\s*$/

/** Line number → rule ids silenced on it (an empty set: every rule). */
export function disabledLines(text: string): Map<number, Set<string>> {
  const silenced = new Map<number, Set<string>>()
  text.split('\n').forEach((line, index) => {
    const match = disableComment.exec(line)
    if (!match) return
    const ids = (match[1] ?? match[2] ?? '').trim()
    silenced.set(index + 2, new Set(ids ? ids.split(/\s+/) : []))
  })
  return silenced
}
