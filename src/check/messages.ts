import { printable } from '../content/control.ts'
import { VFile } from 'vfile'
import { report } from '../errors.ts'
import type { VFileMessage } from 'vfile-message'

/** One diagnostic as `check --format json` prints it. */
export interface JsonMessage {
  file: string
  line: number
  column: number
  severity: 'error' | 'warning'
  message: string
  rule: string
  hint?: string
  /** The text at the place that a fix replaces (with `expected`): what `check --fix` needs, so a cached finding keeps it. */
  actual?: string
  /** The replacements for `actual`; `check --fix` makes one only when there is exactly one. */
  expected?: string[]
}

/** Every message of every file, sorted by file and position. */
export function collectMessages(files: readonly VFile[]): JsonMessage[] {
  return files
    .flatMap((file) => file.messages.map((message) => toJson(file, message)))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column)
}

function toJson(file: VFile, message: VFileMessage): JsonMessage {
  const json: JsonMessage = {
    file: file.path,
    line: message.line ?? 1,
    column: message.column ?? 1,
    severity: message.fatal ? 'error' : 'warning',
    message: message.reason,
    rule: message.ruleId ?? 'newsletter',
  }
  if (message.note) json.hint = message.note
  if (message.actual !== undefined) json.actual = message.actual
  if (message.expected) json.expected = [...message.expected]
  return json
}

/** Messages (as `collectMessages` returns them) back on a file of that path: for findings kept in a cache. */
export function toFile(path: string, messages: readonly JsonMessage[]): VFile {
  const file = new VFile({ path })
  for (const m of messages) {
    report(file, m.severity, m.message, m.rule, { line: m.line, column: m.column }, m.hint)
    Object.assign(file.messages[file.messages.length - 1]!, { actual: m.actual, expected: m.expected })
  }
  return file
}

/** `path:line:col: severity: message (rule)`, with the hint indented on the next line. */
export function formatText(messages: readonly JsonMessage[]): string {
  // Messages may quote content: a control character in it must never reach the terminal raw.
  return printable(messages.map((m) => `${m.file}:${m.line}:${m.column}: ${m.severity}: ${m.message} (${m.rule})${m.hint ? `\n  ${m.hint}` : ''}`).join('\n'))
}

/** "2 errors, 1 warning" */
export function summarize(messages: readonly JsonMessage[]): string {
  const errors = messages.filter((m) => m.severity === 'error').length
  const warnings = messages.length - errors
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`
}
