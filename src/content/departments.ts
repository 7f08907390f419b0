import { readFile } from 'node:fs/promises'
import { VFile } from 'vfile'
import { report, type Position } from '../errors.ts'
import type { Check, InferFields } from './schema.ts'
import { decodeText } from './decode.ts'
import { readYaml } from './yaml.ts'

const departmentId: Check = (value) =>
  /^[a-z0-9-]+$/.test(value) ? undefined : { reason: `must be lower-case letters, digits and dashes, got \`${value}\``, hint: 'Write it like finance or field-ops' }
const email: Check = (value) => (/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(value) ? undefined : { reason: `must be an email address, got \`${value}\`` })
// It becomes a `tel:` link: digits with the separators people write, nothing a link could read as something else.
const phone: Check = (value) =>
  /^\+?[\d\s()./-]+$/.test(value) && (value.match(/\d/g)?.length ?? 0) >= 3
    ? undefined
    : { reason: `must be a phone number, got \`${value}\``, hint: 'Write it like +44 20 7946 0101' }

/** The keys of `content/departments.yml`: unknown keys are errors, like in the settings. */
export const departmentsFields = {
  departments: {
    spec: {
      kind: 'list',
      of: {
        kind: 'object',
        fields: {
          id: { spec: { kind: 'string', check: departmentId }, required: true },
          name: { spec: { kind: 'string' }, required: true },
          /** How the directory spells the department (case and spacing ignored). */
          aliases: { spec: { kind: 'list', of: { kind: 'string' } }, default: [] },
          /** The department's distribution list: `send --departments` mails its edition there once. */
          list: { spec: { kind: 'string', check: email } },
          /** The department's IT relationship manager, named in its edition. */
          contact: {
            spec: {
              kind: 'object',
              fields: {
                name: { spec: { kind: 'string' }, required: true },
                email: { spec: { kind: 'string', check: email }, required: true },
                phone: { spec: { kind: 'string', check: phone } },
              },
            },
          },
        },
      },
    },
    required: true,
  },
  /** People whose department matches none: refused (the default), or sent the general edition. */
  unmapped: { spec: { kind: 'enum', values: ['refuse', 'general'] }, default: 'refuse' },
} as const

/** One department as written in departments.yml. */
export type Department = InferFields<typeof departmentsFields>['departments'][number]

/** The departments of a project, and how a directory's spelling of one is resolved. */
export interface Departments {
  list: Department[]
  byId: Map<string, Department>
  unmapped: 'refuse' | 'general'
  /** The department a directory value names (its id, name or an alias; case and spacing ignored), if any. */
  resolve(value: string): Department | undefined
  /** Where a value sits in departments.yml, by dotted path (`departments.2` is the third department). */
  where(path: string): Position | undefined
}

/** The file the departments are read from, relative to the content folder. */
export const departmentsFile = 'departments.yml'

/** How a department's spelling is compared: `Finance & Accounts`, ` finance  &accounts` are the same. */
export function departmentKey(value: string): string {
  return value.toLowerCase().replace(/\s+/g, '')
}

/** Parse and validate departments text; problems go on the returned file with positions. */
export function parseDepartments(path: string, text: string): { file: VFile; departments?: Departments } {
  const file = new VFile({ path, value: text })
  const read = readYaml(file, text, text, 0, { kind: 'object', fields: departmentsFields }, 'departments')
  if (!read?.valid) return { file }
  const byId = new Map<string, Department>()
  const spellings = new Map<string, Department>()
  read.value.departments.forEach((department, index) => {
    const other = byId.get(department.id)
    if (other) {
      report(file, 'error', `Department id \`${department.id}\` is used twice`, 'departments/duplicate-id', read.where(`departments.${index}.id`), 'Give each department its own id')
      return
    }
    byId.set(department.id, department)
    const names: [string, string][] = [
      [department.id, `departments.${index}.id`],
      [department.name, `departments.${index}.name`],
      ...department.aliases.map((alias, n): [string, string] => [alias, `departments.${index}.aliases.${n}`]),
    ]
    for (const [name, path] of names) {
      const key = departmentKey(name)
      const owner = spellings.get(key)
      if (owner && owner !== department) {
        report(
          file,
          'error',
          `\`${name}\` already names department \`${owner.id}\``,
          'departments/duplicate-alias',
          read.where(path),
          'A directory value must lead to one department: remove it here or there (case and spacing are ignored)',
        )
      }
      spellings.set(key, owner ?? department)
    }
  })
  if (file.messages.length > 0) return { file }
  const list = [...byId.values()]
  return {
    file,
    departments: { list, byId, unmapped: read.value.unmapped, resolve: (value) => spellings.get(departmentKey(value)), where: (path) => read.where(path) },
  }
}

/** Read `content/departments.yml`; a missing file means no departments (everyone gets the one edition, as before). */
export async function loadDepartments(path: string, shownPath: string): Promise<{ file: VFile; departments?: Departments; text?: string }> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file: new VFile({ path: shownPath }) }
    const file = new VFile({ path: shownPath })
    report(file, 'error', `The departments file could not be read: ${(error as Error).message}`, 'departments/unreadable', { line: 1, column: 1 })
    return { file }
  }
  const text = decodeText(bytes).text
  return { ...parseDepartments(shownPath, text), text }
}
