import { parse } from 'csv-parse/sync'
import { VFile } from 'vfile'
import { createLocator } from '../content/position.ts'
import { report, type Position } from '../errors.ts'

/** One person to mail: the address, and every CSV column for `{{field}}` personalization. */
export interface Recipient {
  email: string
  /** Lower-cased address: the ledger key and what de-duplication compares. */
  key: string
  fields: Record<string, string>
}

/** What a recipients file holds: the people, the column names, and every problem found. */
export interface RecipientList {
  file: VFile
  recipients: Recipient[]
  columns: string[]
}

/** The options recipients are checked against. */
export interface RecipientRules {
  /** Domains mail may go to (a subdomain counts); empty or missing: any domain. */
  allowedDomains?: readonly string[]
}

// The WHATWG "valid email address" grammar (HTML spec, input type=email): what users can type into forms.
const address = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/
// CR and LF end a header line (header injection); the other control characters have no place in a name either.
const controls = /[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/

/** True when `value` is an address we can put in a To: header. */
export function isAddress(value: string): boolean {
  return address.test(value) && !value.split('@')[0]!.split('.').includes('')
}

/** True when `value` contains characters that could end a header line. */
export function hasControlCharacters(value: string): boolean {
  return controls.test(value)
}

/** True when the address is in one of the allowed domains (or any domain when none are given). */
export function inAllowedDomains(email: string, domains: readonly string[] | undefined): boolean {
  if (!domains || domains.length === 0) return true
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase()
  return domains.some((allowed) => domain === allowed.toLowerCase() || domain.endsWith(`.${allowed.toLowerCase()}`))
}

/**
 * Read a recipients CSV (header row; `email` required, other columns optional) and check every row
 * before anything is sent. Problems go on the returned file as `<file>:<row>:<col>` messages.
 */
export function parseRecipients(path: string, text: string, rules: RecipientRules = {}): RecipientList {
  const file = new VFile({ path, value: text })
  const locate = createLocator(text)
  const placesOf = (row: Row) => fieldPlaces(text.slice(row.start, row.end), row.start, locate)
  const recipients: Recipient[] = []
  const seen = new Map<string, number>()
  let header: Row | undefined
  let columns: string[] = []
  let emailIndex = -1
  let records = 0

  const takeHeader = (row: Row) => {
    columns = row.record.map((name) => name.trim())
    const places = placesOf(row)
    columns.forEach((name, index) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        report(file, 'error', `Column name \`${name}\` must be letters, digits and underscores`, 'recipients/header', places[index], 'Column names are used as {{name}} fields: write them like department or cost_centre')
      }
    })
    emailIndex = columns.findIndex((name) => name.toLowerCase() === 'email')
    if (emailIndex < 0) report(file, 'error', `The header has no \`email\` column (found: ${columns.join(', ')})`, 'recipients/header', places[0], 'Name the column holding the addresses `email`')
  }

  const takeRow = (row: Row) => {
    const place = (index: number) => placesOf(row)[index]
    if (row.record.length > columns.length) {
      report(file, 'error', `Row has ${row.record.length} fields but the header has ${columns.length}`, 'recipients/columns', place(columns.length), 'Remove the extra field, or wrap a value containing a comma in quotes')
      return
    }
    const fields: Record<string, string> = {}
    let bad = false
    row.record.forEach((raw, index) => {
      fields[columns[index]!] = raw.trim()
      if (hasControlCharacters(raw)) {
        report(file, 'error', `\`${columns[index]}\` contains a line break or control character, which could inject mail headers`, 'recipients/injection', place(index), 'Remove the line break from this field')
        bad = true
      }
    })
    if (bad) return
    for (const column of columns) fields[column] ??= ''
    const email = fields[columns[emailIndex]!]!
    const at = () => place(emailIndex) ?? place(0)
    if (email === '') return report(file, 'error', 'Missing email address', 'recipients/missing', at(), 'Fill in the address, or delete the row')
    if (!isAddress(email)) return report(file, 'error', `\`${email}\` is not an email address`, 'recipients/address', at(), 'Write it like jane.doe@example.com')
    if (!inAllowedDomains(email, rules.allowedDomains)) {
      return report(file, 'error', `\`${email}\` is outside the allowed domains (${rules.allowedDomains!.join(', ')})`, 'recipients/domain', at(), 'Remove the row, or add the domain to send.allowed_domains in content/settings.yml')
    }
    const key = email.toLowerCase()
    const first = seen.get(key)
    if (first !== undefined) return report(file, 'warning', `\`${email}\` is already on row ${first}; it is mailed once`, 'recipients/duplicate', at())
    seen.set(key, locate(row.start + leadingBlank(text, row.start)).line)
    recipients.push({ email, key, fields: { ...fields, email } })
  }

  // Rows are checked as the parser produces them and then dropped, so a large file is never held twice.
  let offset = text.startsWith('\uFEFF') ? 1 : 0
  try {
    parse(text, {
      raw: true,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // With `raw: true` csv-parse hands on_record `{ record, raw }`; its types only know the plain record.
      on_record: (({ record, raw }: { record: string[]; raw: string }): null => {
        const row = { record, start: offset, end: offset + raw.length }
        offset = row.end
        if (!header) {
          header = row
          takeHeader(row)
        } else {
          records++
          if (emailIndex >= 0) takeRow(row)
        }
        return null
      }) as unknown as (record: string[]) => null,
    })
  } catch (error) {
    const { lines, index } = error as { lines?: number; index?: number }
    const line = lines ?? 1
    report(file, 'error', `The CSV cannot be read: ${(error as Error).message.replace(/ at line \d+.*$/, '')}`, 'recipients/csv', { line, column: fieldColumn(text, line, index ?? 0) }, 'Check the quotes on this line: a field with a comma or quote must be wrapped in "…", with inner quotes doubled ("")')
    return { file, recipients: [], columns }
  }
  if (!header) {
    report(file, 'error', 'The file is empty: it needs a header row with an `email` column', 'recipients/header', { line: 1, column: 1 }, 'Start the file with a line like: email,name,department')
    return { file, recipients: [], columns: [] }
  }
  if (emailIndex < 0) return { file, recipients: [], columns }
  if (records === 0) report(file, 'error', 'The file has a header but no recipients', 'recipients/empty', placesOf(header)[0], 'Add one row per person below the header')
  return { file, recipients, columns }
}

interface Row {
  record: string[]
  /** Offsets of the record's raw text (with any blank lines before it) in the file. */
  start: number
  end: number
}

function leadingBlank(text: string, from: number): number {
  let i = from
  while (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) i += text[i] === '\r' ? 2 : 1
  return i - from
}

/** Where each field of a record starts, given the record's raw text and its offset in the file. */
function fieldPlaces(raw: string, offset: number, locate: (offset: number) => Position): Position[] {
  const blank = leadingBlank(raw, 0)
  const places: Position[] = [locate(offset + blank)]
  let quoted = false
  for (let i = blank; i < raw.length; i++) {
    if (raw[i] === '"') quoted = !quoted
    else if (raw[i] === ',' && !quoted) places.push(locate(offset + i + 1))
  }
  return places
}

/** The column where field `index` starts on a line, for errors the CSV parser raises. */
function fieldColumn(text: string, line: number, index: number): number {
  const content = text.split('\n')[line - 1] ?? ''
  let quoted = false
  let field = 0
  for (let i = 0; i < content.length; i++) {
    if (field === index) return i + 1
    if (content[i] === '"') quoted = !quoted
    else if (content[i] === ',' && !quoted) field++
  }
  return 1
}
