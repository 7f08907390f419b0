import type { VFile } from 'vfile'

/** One replacement `check --fix` makes: where, the old text and the new. */
export interface FixEdit {
  path: string
  line: number
  column: number
  actual: string
  expected: string
}

/** The unambiguous fixes among the files' messages (those with one expected replacement), by file path. */
export function fixesOf(files: readonly VFile[]): Map<string, FixEdit[]> {
  const byPath = new Map<string, FixEdit[]>()
  for (const file of files) {
    for (const message of file.messages) {
      const [expected, ...others] = message.expected ?? []
      if (!message.actual || expected === undefined || others.length > 0 || !message.line || !message.column) continue
      const list = byPath.get(file.path) ?? []
      list.push({ path: file.path, line: message.line, column: message.column, actual: message.actual, expected })
      byPath.set(file.path, list)
    }
  }
  return byPath
}

/**
 * Applies edits to a file's text, last first so earlier positions stay true. An edit whose old text is not at its
 * place (a folded YAML value, a file changed since it was checked) or that overlaps another is left out.
 */
export function applyFixes(text: string, edits: readonly FixEdit[]): { text: string; applied: FixEdit[] } {
  const starts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  const placed = edits
    .map((edit) => ({ edit, offset: (starts[edit.line - 1] ?? Number.NaN) + edit.column - 1 }))
    .filter(({ edit, offset }) => text.startsWith(edit.actual, offset))
    .sort((a, b) => b.offset - a.offset)
  const applied: FixEdit[] = []
  let result = text
  let limit = Number.POSITIVE_INFINITY
  for (const { edit, offset } of placed) {
    if (offset + edit.actual.length > limit) continue
    result = result.slice(0, offset) + edit.expected + result.slice(offset + edit.actual.length)
    limit = offset
    applied.unshift(edit)
  }
  return { text: result, applied }
}
