import { readFile } from 'node:fs/promises'
import { decodeCsv, readCsv } from '../content/csv.ts'
import { NewsletterError } from '../errors.ts'
import { compileTemplate, fillTemplate, findSlots } from '../email/personalize.ts'

/** One reader's fields, as a recipients CSV row gives them: `email`, `name`, and any other column. */
export type Reader = Record<string, string>

/** Who the preview personalizes for when no recipients file is given. */
export const sampleReader: Reader = { name: 'Sam Sample', email: 'sam@example.com' }

// The preview offers at most this many rows of a recipients file: enough to pick a few typical readers.
const maxReaders = 50

/** The first rows of a recipients CSV (header row required, `email` column required), or the built-in sample. */
export async function loadReaders(path: string | undefined): Promise<Reader[]> {
  if (!path) return [sampleReader]
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (error) {
    throw new NewsletterError(`Could not read the recipients file ${path}: ${(error as Error).message}`, 'io', undefined, {
      cause: error,
      hint: 'Pass an existing CSV with --recipients',
    })
  }
  const rows: Reader[] = []
  let columns: string[] = []
  readCsv(
    path,
    decodeCsv(bytes).text,
    ({ fields, line }, isHeader) => {
      if (isHeader) {
        columns = fields.map((name) => name.trim())
        return
      }
      if (fields.length > columns.length) {
        throw new NewsletterError(
          `The recipients file has ${fields.length} fields on this line but ${columns.length} columns`,
          'content',
          { file: path, line, column: 1 },
          { hint: 'Check the quoting and the number of columns on this line' },
        )
      }
      rows.push(Object.fromEntries(columns.map((name, index) => [name, (fields[index] ?? '').trim()])))
    },
    { toLine: maxReaders + 1 },
  )
  if (rows.length === 0)
    throw new NewsletterError(
      'The recipients file has no rows below its header',
      'content',
      { file: path, line: 1, column: 1 },
      { hint: 'Add at least one reader' },
    )
  if (!('email' in rows[0]!))
    throw new NewsletterError(
      'The recipients file has no `email` column',
      'content',
      { file: path, line: 1, column: 1 },
      { hint: 'The first row names the columns, e.g. `email,name,department`' },
    )
  return rows
}

/** Fill `{{name}}`-style fields from a reader exactly as the send does (an empty or missing field gets its `|fallback`). */
export function personalize(template: string, reader: Reader, escape?: (value: string) => string): string {
  return fillTemplate(compileTemplate(template), reader, escape)
}

/** The `{{fields}}` a template uses that this reader has no value for. */
export function missingFields(template: string, reader: Reader): string[] {
  return [
    ...new Set(
      findSlots(template)
        .map((slot) => slot.field)
        .filter((key) => !(Object.hasOwn(reader, key) && reader[key])),
    ),
  ]
}
