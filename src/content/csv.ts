import { parse } from 'csv-parse/sync'
import { NewsletterError, type Position } from '../errors.ts'
import { createLocator } from './position.ts'
import { decodeBytes, type Encoding } from './decode.ts'

/** A CSV file's text and how its bytes were read. */
export interface CsvText {
  text: string
  encoding: Encoding
  /** Set when the encoding is a guess the user should know about. */
  warning?: string
}

/** Decode a CSV file as spreadsheets save it (see `decodeBytes`); a guessed encoding comes with a warning. */
export function decodeCsv(bytes: Uint8Array): CsvText {
  const { text, encoding, guessed } = decodeBytes(bytes)
  if (!guessed) return { text, encoding }
  const warning =
    encoding === 'Windows-1252'
      ? 'The file is not valid UTF-8: read it as Windows-1252 (what Excel saves as "CSV" on Windows). Check that names with accents look right, or save it as "CSV UTF-8"'
      : `The file has no byte order mark: read it as ${encoding}${encoding === 'UTF-16LE' ? ' (Excel\'s "Unicode text")' : ''}. Check that names with accents look right`
  return { text, encoding, warning }
}

/** The separators people's files use: comma; semicolon where the comma is the decimal mark (Excel in much of Europe); tab. */
export type Separator = ',' | ';' | '\t'

/** The separator of a CSV: whichever of comma, semicolon and tab the header row (outside quotes) has most of; comma on a tie. */
export function detectSeparator(text: string): Separator {
  const counts = { ',': 0, ';': 0, '\t': 0 }
  let quoted = false
  for (const char of text) {
    if (char === '"') quoted = !quoted
    else if (!quoted && (char === '\n' || char === '\r')) break
    else if (!quoted && char in counts) counts[char as Separator]++
  }
  return counts[';'] > counts[','] && counts[';'] >= counts['\t'] ? ';' : counts['\t'] > counts[','] ? '\t' : ','
}

/** One record of a CSV, with where it sits in the text. */
export interface CsvRecord {
  fields: string[]
  /** Where each field starts (1-based line and column). */
  places: Position[]
  /** The line the record starts on. */
  line: number
}

/** What `readCsv` found: the header (the first record) and the separator used. */
export interface CsvTable {
  header: CsvRecord
  separator: Separator
}

/** How `readCsv` reads: how far, and what happens to a record the CSV grammar cannot read. */
export interface CsvOptions {
  /** Stop after this many records below the header (default: the whole file). */
  rows?: number
  /**
   * Called with each record that cannot be read (a broken quote), at its `file:line:col`; reading then goes on at the
   * next line. Without it the first such record throws.
   */
  onBadRecord?: (problem: NewsletterError) => void
}

/**
 * The one CSV reader (recipients, ticket exports, preview readers): decoded text in, records out one at
 * a time so a large file is never held twice. A PowerShell `#TYPE` line is skipped. The first record is the header (`isHeader`); a column name given
 * twice, or a broken quote in the header, throws a NewsletterError at its `file:line:col`. Returns undefined for an empty file.
 */
export function readCsv(path: string, source: string, onRecord: (record: CsvRecord, isHeader: boolean) => void, options: CsvOptions = {}): CsvTable | undefined {
  // csv-parse's raw text of a CRLF record is one character short, which would shift every position
  // after it; lines and columns are the same with LF alone.
  const text = source.replace(/\r\n/g, '\n')
  const locate = createLocator(text)
  let header: CsvRecord | undefined
  let records = 0
  // csv-parse cannot go on after a broken quote, so each bad record ends one parse and the next starts on the line after it.
  let start = text.startsWith('\uFEFF') ? 1 : 0
  // Windows PowerShell 5.1's Export-Csv writes `#TYPE <class>` above the header (Import-Csv skips it too).
  if (text.startsWith('#TYPE ', start)) start = text.indexOf('\n', start) + 1 || text.length
  const separator = detectSeparator(text.slice(start))
  while (start < text.length) {
    const firstLine = locate(start).line
    const to = options.rows === undefined ? undefined : options.rows + 1 - records
    if (to !== undefined && to < 1) break
    let offset = start
    try {
      parse(text.slice(start), {
        raw: true,
        bom: true,
        delimiter: separator,
        skip_empty_lines: true,
        relax_column_count: true,
        to,
        // With `raw: true` csv-parse hands on_record `{ record, raw }`; its types only know the plain record.
        on_record: (({ record, raw }: { record: string[]; raw: string }): null => {
          const at = offset
          const blank = leadingBlank(raw)
          offset += raw.length
          records++
          // Where each field starts is worked out once, when first asked (a ticket export asks only to place an error).
          let places: Position[] | undefined
          const row: CsvRecord = {
            fields: record,
            get places() {
              return (places ??= fieldPlaces(raw, blank, at, separator, locate))
            },
            line: locate(at + blank).line,
          }
          if (header) onRecord(row, false)
          else {
            header = row
            checkHeader(path, row)
            onRecord(row, true)
          }
          return null
        }) as unknown as (record: string[]) => null,
      })
      break
    } catch (error) {
      if (error instanceof NewsletterError) throw error
      const parseError = error as CsvParseError
      let recordStart = offset
      while (text[recordStart] === '\n') recordStart++
      const at = fieldStart(text, recordStart, parseError.index ?? 0, separator)
      const problem = badRecord(path, locate(at), firstLine, separator, parseError)
      if (!header || !options.onBadRecord) throw problem
      options.onBadRecord(problem)
      // Go on at the line after the field's start: an unclosed quote there would otherwise swallow the lines below it.
      const next = text.indexOf('\n', at)
      start = next < 0 ? text.length : next + 1
    }
  }
  return header ? { header, separator } : undefined
}

/** What csv-parse's errors carry: a code, the line it stopped on (counted from where it started) and the field index. */
type CsvParseError = Error & { code?: string; lines?: number; index?: number }

const wrapHint = (separator: Separator) =>
  `A field with a ${separatorName[separator]} or quote is wrapped in quotes, with each quote inside it written twice: "Ann ""Annie"" Lee"`

/** The error for a record csv-parse gave up on, at the start of the field it was reading. */
function badRecord(path: string, place: Position, firstLine: number, separator: Separator, error: CsvParseError): NewsletterError {
  const stopped = firstLine + (error.lines ?? 1) - 1
  const what =
    error.code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'the quote that opens this field is never closed'
      : stopped > place.line
        ? `the quote that opens this field runs on to line ${stopped}, where the field cannot end`
        : error.code === 'CSV_INVALID_CLOSING_QUOTE'
          ? 'text follows the closing quote of this field'
          : error.code === 'INVALID_OPENING_QUOTE'
            ? 'a quote appears inside this field, which does not start with one'
            : error.message.replace(/ at line \d+.*$/, '')
  const hint = stopped > place.line || error.code === 'CSV_QUOTE_NOT_CLOSED' ? `Close the quote on this line, or remove it. ${wrapHint(separator)}` : wrapHint(separator)
  return new NewsletterError(`The CSV cannot be read: ${what}`, 'content', { file: path, ...place }, { cause: error, hint })
}

const separatorName = { ',': 'comma', ';': 'semicolon', '\t': 'tab' } as const

/** A column named twice would silently lose one of them: refuse it where it stands. */
function checkHeader(path: string, header: CsvRecord): void {
  const seen = new Map<string, number>()
  header.fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase()
    const first = seen.get(name)
    if (first !== undefined) {
      throw new NewsletterError(`Column \`${raw.trim()}\` appears twice in the header (also column ${first + 1})`, 'content', { file: path, ...header.places[index]! }, {
        hint: 'Rename or delete one of them: each column must have its own name',
      })
    }
    seen.set(name, index)
  })
}

function leadingBlank(raw: string): number {
  let i = 0
  while (raw[i] === '\n' || (raw[i] === '\r' && raw[i + 1] === '\n')) i += raw[i] === '\r' ? 2 : 1
  return i
}

/** Where each field of a record starts, given the record's raw text and its offset in the file. */
function fieldPlaces(raw: string, blank: number, offset: number, separator: Separator, locate: (offset: number) => Position): Position[] {
  const places: Position[] = [locate(offset + blank)]
  let quoted = false
  for (let i = blank; i < raw.length; i++) {
    if (raw[i] === '"') quoted = !quoted
    else if (raw[i] === separator && !quoted) places.push(locate(offset + i + 1))
  }
  return places
}

/** The offset where field `index` of the record starting at `recordStart` begins (quotes may span lines). */
function fieldStart(text: string, recordStart: number, index: number, separator: Separator): number {
  let quoted = false
  let field = 0
  for (let i = recordStart; i < text.length && field < index; i++) {
    if (text[i] === '"') quoted = !quoted
    else if (!quoted && text[i] === '\n') break
    else if (!quoted && text[i] === separator && ++field === index) return i + 1
  }
  return recordStart
}
