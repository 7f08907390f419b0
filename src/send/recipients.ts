import { readFile } from 'node:fs/promises'
import { VFile } from 'vfile'
import { decodeCsv, readCsv, type CsvRecord } from '../content/csv.ts'
import { departmentsFile, type Departments } from '../content/departments.ts'
import { NewsletterError, report, type Position } from '../errors.ts'
import { directoryFormats, type DirectoryFormat } from './directory-formats.ts'

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
  /** The department (an id from departments.yml) whose edition this person gets; absent: the general edition. */
  department?: string
}

/** Which kind of file a recipients file was read as: a hand-made CSV, a directory export, or columns named in the settings. */
export type RecipientFormat = 'csv' | DirectoryFormat['id'] | 'settings'

/** Rows of a directory export that are nobody to mail. */
export interface Skipped {
  /** Accounts that cannot sign in (disabled, suspended). */
  disabled: number
  /** Guest accounts (another organisation's people). */
  guests: number
  /** Accounts with no mail address (service accounts, rooms). */
  noAddress: number
}

/** What a recipients file holds: the people, the column names, and every problem found. */
export interface RecipientList {
  file: VFile
  recipients: Recipient[]
  columns: string[]
  format: RecipientFormat
  skipped: Skipped
}

/** `send.recipients_columns`: which column of another export holds each thing. */
export interface RecipientColumns {
  email: string
  name?: string
  department?: string
  enabled?: string
}

/** The options recipients are checked against, and how much of the file is read. */
export interface RecipientRules {
  /** Domains mail may go to (a subdomain counts); empty or missing: any domain. */
  allowedDomains?: readonly string[]
  /** Read only this many rows below the header (default: all): the preview wants a few readers, not the whole list. */
  rows?: number
  /** The project's departments: each person's department is mapped to one (absent: no departments, one edition). */
  departments?: Departments
  /** Columns named in the settings for an export that is none of the known formats. */
  columns?: RecipientColumns
}

/** How a file's columns are read: indexes into the header for each role (-1: not there). */
interface Layout {
  format: RecipientFormat
  email: number
  fallbackEmail: number
  name: number
  nameParts: [number, number]
  department: number
  enabled: number
  enabledOff: RegExp
  guest: number
  guestIs: RegExp
}

const disabledValues = /^(false|no|0|disabled)$/i

/** Tell the file's kind from its header: an `email` column, the settings' columns, or a known directory export. */
function layoutOf(columns: readonly string[], custom: RecipientColumns | undefined): Layout | undefined {
  const lower = columns.map((name) => name.toLowerCase())
  const find = (names: readonly string[] | undefined) => {
    for (const name of names ?? []) {
      const index = lower.indexOf(name.toLowerCase())
      if (index >= 0) return index
    }
    return -1
  }
  const base = { fallbackEmail: -1, nameParts: [-1, -1] as [number, number], enabledOff: disabledValues, guest: -1, guestIs: /$^/ }
  if (custom && find([custom.email]) >= 0) {
    return {
      ...base,
      format: 'settings',
      email: find([custom.email]),
      name: find([custom.name ?? 'name']),
      department: find([custom.department ?? 'department']),
      enabled: find(custom.enabled ? [custom.enabled] : []),
    }
  }
  if (lower.includes('email')) return { ...base, format: 'csv', email: find(['email']), name: find(['name']), department: find(['department']), enabled: -1 }
  const format = directoryFormats.find((candidate) => find(candidate.detect) >= 0)
  if (!format) return undefined
  return {
    format: format.id,
    email: find(format.email),
    fallbackEmail: find(format.fallbackEmail),
    name: find(format.name),
    nameParts: format.nameParts ? [find([format.nameParts[0]]), find([format.nameParts[1]])] : [-1, -1],
    department: find(format.department),
    enabled: find(format.enabled?.columns),
    enabledOff: format.enabled?.off ?? disabledValues,
    guest: find(format.guest?.columns),
    guestIs: format.guest?.is ?? /$^/,
  }
}

/** How a format is named in messages. */
export function formatLabel(format: RecipientFormat): string {
  if (format === 'csv') return 'a recipients CSV'
  if (format === 'settings') return 'an export with the columns in send.recipients_columns'
  return directoryFormats.find((candidate) => candidate.id === format)!.label
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
  const skipped: Skipped = { disabled: 0, guests: 0, noAddress: 0 }
  const unmapped = new Map<string, { count: number; row: number; place: Position }>()
  let header: CsvRecord | undefined
  let columns: string[] = []
  let layout: Layout | undefined
  let records = 0

  const takeHeader = (row: CsvRecord) => {
    columns = row.fields.map((name) => name.trim())
    layout = layoutOf(columns, rules.columns)
    // In an export, only columns named like fields are {{fields}}; a hand-made file should name them all that way.
    if (layout?.format === 'csv') {
      columns.forEach((name, index) => {
        if (!fieldName.test(name)) {
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
    }
    if (!layout)
      report(
        file,
        'error',
        rules.columns
          ? `The header has no \`${rules.columns.email}\` column, named in send.recipients_columns (found: ${columns.join(', ')})`
          : `The header has no \`email\` column (found: ${columns.join(', ')})`,
        'recipients/header',
        row.places[0],
        "Name the column holding the addresses `email`, export the users from Entra ID, Active Directory or Google Workspace, or name your export's columns in send.recipients_columns",
      )
  }

  const takeRow = (row: CsvRecord, layout: Layout) => {
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
    const value = (index: number) => (index < 0 ? '' : (row.fields[index] ?? '').trim())
    const fields: Record<string, string> = {}
    let bad = false
    row.fields.forEach((raw, index) => {
      const name = columns[index]!
      if (fieldName.test(name)) fields[name] = raw.trim()
      if (hasControlCharacters(raw)) {
        report(
          file,
          'error',
          `\`${name}\` contains a line break or control character, which could inject mail headers`,
          'recipients/injection',
          place(index),
          'Remove the line break from this field',
        )
        bad = true
      }
    })
    if (bad) return
    for (const column of columns) if (fieldName.test(column)) fields[column] ??= ''
    if (layout.enabled >= 0 && layout.enabledOff.test(value(layout.enabled))) return void skipped.disabled++
    const fallback = value(layout.fallbackEmail)
    // An external user's UPN is `jane_other.org#EXT#@tenant.onmicrosoft.com`: a guest even when userType says otherwise.
    if ((layout.guest >= 0 && layout.guestIs.test(value(layout.guest))) || fallback.includes('#EXT#')) return void skipped.guests++
    let emailIndex = layout.email
    if (value(emailIndex) === '' && isAddress(fallback)) emailIndex = layout.fallbackEmail
    const email = value(emailIndex)
    const at = () => place(emailIndex) ?? place(0)
    if (email === '' && layout.format !== 'csv') return void skipped.noAddress++
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
    const places: Record<string, Position> = Object.fromEntries(columns.map((name, index) => [name, row.places[index] ?? row.places[0]!]))
    places.email = at()!
    const name = layout.name >= 0 ? value(layout.name) : [value(layout.nameParts[0]), value(layout.nameParts[1])].filter(Boolean).join(' ')
    if (layout.format !== 'csv' && name) fields.name = name
    const recipient: Recipient = { email, key, fields: { ...fields, email }, row: row.line, places }
    if (layout.department >= 0) {
      const written = value(layout.department)
      if (layout.format !== 'csv') fields.department = written
      const department = rules.departments?.resolve(written)
      if (department) recipient.department = department.id
      else if (rules.departments) {
        const known = unmapped.get(written)
        if (known) known.count++
        else unmapped.set(written, { count: 1, row: row.line, place: place(layout.department) ?? place(0)! })
      }
    }
    recipients.push(recipient)
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
          if (layout) takeRow(row, layout)
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
    return { file, recipients: [], columns, format: layout?.format ?? 'csv', skipped }
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
    return { file, recipients: [], columns: [], format: 'csv', skipped }
  }
  if (!layout) return { file, recipients: [], columns, format: 'csv', skipped }
  if (records === 0)
    report(file, 'error', 'The file has a header but no recipients', 'recipients/empty', header.places[0], 'Add one row per person below the header')
  if (unmapped.size > 0) reportUnmapped(file, unmapped, rules.departments!)
  const named = layout.format === 'csv' ? columns : [...new Set(['email', 'name', 'department', ...columns.filter((column) => fieldName.test(column))])]
  return { file, recipients, columns: named, format: layout.format, skipped }
}

const fieldName = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Department values that name no department: one message listing each value, how many people have it and its first row. */
function reportUnmapped(file: VFile, unmapped: Map<string, { count: number; row: number; place: Position }>, departments: Departments): void {
  const entries = [...unmapped.entries()].sort((a, b) => a[1].row - b[1].row)
  const people = entries.reduce((sum, [, { count }]) => sum + count, 0)
  const list = entries
    .map(([value, { count, row }]) => `${value === '' ? '(empty)' : `\`${value}\``} (${count} ${count === 1 ? 'person' : 'people'}, first on row ${row})`)
    .join(', ')
  const general = departments.unmapped === 'general'
  report(
    file,
    general ? 'warning' : 'error',
    `${people} ${people === 1 ? 'person has a department' : 'people have departments'} that match${people === 1 ? 'es' : ''} none in ${departmentsFile}: ${list}`,
    'recipients/department',
    entries[0]![1].place,
    general
      ? "They get the general edition (unmapped: general). Add the values to a department's aliases to give them theirs"
      : `Add each value to the aliases of its department in content/${departmentsFile}, or set \`unmapped: general\` to send them the general edition`,
  )
}
