import { readFile } from 'node:fs/promises'
import { VFile } from 'vfile'
import { decodeCsv, readCsv, type CsvRecord } from '../content/csv.ts'
import { NewsletterError, report, type Position } from '../errors.ts'

/** One person to mail: the address, and every CSV column for `{{field}}` personalization. */
export interface Recipient {
  email: string
  /** Lower-cased address: the ledger key and what de-duplication compares. */
  key: string
  fields: Record<string, string>
  /** The line of the recipients file this person is on (absent for --to and --list). */
  row?: number
  /** Where each column's value starts on that line, by column name. */
  places?: Record<string, Position>
}

/** What a recipients file holds: the people, the column names, and every problem found. */
export interface RecipientList {
  file: VFile
  recipients: Recipient[]
  columns: string[]
}

/** The options recipients are checked against, and how much of the file is read. */
export interface RecipientRules {
  /** Domains mail may go to (a subdomain counts); empty or missing: any domain. */
  allowedDomains?: readonly string[]
  /** Read only this many rows below the header (default: all): the preview wants a few readers, not the whole list. */
  rows?: number
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

/** Read a recipients file from disk: any encoding `decodeCsv` knows; a guessed encoding is a warning on the file. */
export async function readRecipients(path: string, rules: RecipientRules = {}): Promise<RecipientList> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (error) {
    throw new NewsletterError(
      `Cannot read the recipients file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'refused',
      undefined,
      { cause: error },
    )
  }
  const { text, warning } = decodeCsv(bytes)
  const list = parseRecipients(path, text, rules)
  if (warning) report(list.file, 'warning', warning, 'recipients/encoding', { line: 1, column: 1 })
  return list
}

/**
 * Read a recipients CSV (header row; `email` required, other columns optional; comma, semicolon or tab)
 * and check every row before anything is sent. Problems go on the returned file as `<file>:<row>:<col>` messages.
 */
export function parseRecipients(path: string, text: string, rules: RecipientRules = {}): RecipientList {
  const file = new VFile({ path, value: text })
  const recipients: Recipient[] = []
  const seen = new Map<string, number>()
  let header: CsvRecord | undefined
  let columns: string[] = []
  let emailIndex = -1
  let records = 0

  const takeHeader = (row: CsvRecord) => {
    columns = row.fields.map((name) => name.trim())
    columns.forEach((name, index) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        report(
          file,
          'error',
          `Column name \`${name}\` must be letters, digits and underscores`,
          'recipients/header',
          row.places[index],
          'Column names are used as {{name}} fields: write them like department or cost_centre',
        )
      }
    })
    emailIndex = columns.findIndex((name) => name.toLowerCase() === 'email')
    if (emailIndex < 0)
      report(
        file,
        'error',
        `The header has no \`email\` column (found: ${columns.join(', ')})`,
        'recipients/header',
        row.places[0],
        'Name the column holding the addresses `email`',
      )
  }

  const takeRow = (row: CsvRecord) => {
    const place = (index: number) => row.places[index]
    if (row.fields.length > columns.length) {
      report(
        file,
        'error',
        `Row has ${row.fields.length} fields but the header has ${columns.length}`,
        'recipients/columns',
        place(columns.length),
        'Remove the extra field, or wrap a value containing the separator in quotes',
      )
      return
    }
    const fields: Record<string, string> = {}
    let bad = false
    row.fields.forEach((raw, index) => {
      fields[columns[index]!] = raw.trim()
      if (hasControlCharacters(raw)) {
        report(
          file,
          'error',
          `\`${columns[index]}\` contains a line break or control character, which could inject mail headers`,
          'recipients/injection',
          place(index),
          'Remove the line break from this field',
        )
        bad = true
      }
    })
    if (bad) return
    for (const column of columns) fields[column] ??= ''
    const email = fields[columns[emailIndex]!]!
    const at = () => place(emailIndex) ?? place(0)
    if (email === '') return report(file, 'error', 'Missing email address', 'recipients/missing', at(), 'Fill in the address, or delete the row')
    if (!isAddress(email))
      return report(file, 'error', `\`${email}\` is not an email address`, 'recipients/address', at(), 'Write it like jane.doe@example.com')
    if (!inAllowedDomains(email, rules.allowedDomains)) {
      return report(
        file,
        'error',
        `\`${email}\` is outside the allowed domains (${rules.allowedDomains!.join(', ')})`,
        'recipients/domain',
        at(),
        'Remove the row, or add the domain to send.allowed_domains in content/settings.yml',
      )
    }
    const key = email.toLowerCase()
    const first = seen.get(key)
    if (first !== undefined) return report(file, 'warning', `\`${email}\` is already on row ${first}; it is mailed once`, 'recipients/duplicate', at())
    seen.set(key, row.line)
    recipients.push({
      email,
      key,
      fields: { ...fields, email },
      row: row.line,
      places: Object.fromEntries(columns.map((name, index) => [name, row.places[index] ?? row.places[0]!])),
    })
  }

  // Rows are checked as the reader produces them and then dropped, so a large file is never held twice.
  try {
    readCsv(
      path,
      text,
      (row, isHeader) => {
        if (isHeader) {
          header = row
          takeHeader(row)
        } else {
          records++
          if (emailIndex >= 0) takeRow(row)
        }
      },
      {
        rows: rules.rows,
        onBadRecord: (problem) => {
          records++
          report(file, 'error', problem.message, 'recipients/csv', problem.where, problem.hint)
        },
      },
    )
  } catch (error) {
    if (!(error instanceof NewsletterError) || !error.where) throw error
    const rule = /appears twice/.test(error.message) ? 'recipients/header' : 'recipients/csv'
    report(file, 'error', error.message, rule, error.where, error.hint)
    return { file, recipients: [], columns }
  }
  if (!header) {
    report(
      file,
      'error',
      'The file is empty: it needs a header row with an `email` column',
      'recipients/header',
      { line: 1, column: 1 },
      'Start the file with a line like: email,name,department',
    )
    return { file, recipients: [], columns: [] }
  }
  if (emailIndex < 0) return { file, recipients: [], columns }
  if (records === 0)
    report(file, 'error', 'The file has a header but no recipients', 'recipients/empty', header.places[0], 'Add one row per person below the header')
  return { file, recipients, columns }
}
