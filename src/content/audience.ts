import type { RootContent } from 'mdast'
import { VFile } from 'vfile'
import { report, type Position } from '../errors.ts'
import { departmentsFile, type Departments } from './departments.ts'
import { closest } from './schema.ts'
import type { Doc } from './types.ts'

/** A `<!-- for: finance, hr -->` line: the department ids it names, each with where it is written. */
export interface ForMarker {
  ids: string[]
  places: (Position | undefined)[]
}

const marker = /^<!--\s*for:([^>]*?)-->$/

/** The department ids of a `<!-- for: … -->` comment node, or undefined when the node is anything else. */
export function forMarker(node: RootContent): ForMarker | undefined {
  if (node.type !== 'html') return undefined
  const match = marker.exec(node.value.trim())
  if (!match) return undefined
  const start = node.position?.start
  const ids: string[] = []
  const places: (Position | undefined)[] = []
  const list = match[1]!
  const listStart = node.value.indexOf(list, node.value.indexOf('for:'))
  for (const found of list.matchAll(/[^,\s]+/g)) {
    ids.push(found[0])
    places.push(start && { line: start.line, column: start.column + listStart + found.index })
  }
  return { ids, places }
}

/** One department id a document names: the id, where it is written, and what it is on. */
export interface NamedDepartment {
  id: string
  place?: Position
  /** What the id makes for some departments only: `section`, `patch`, `priority`, `project`, `incident` or `notice`. */
  on: 'section' | 'patch' | 'priority' | 'project' | 'incident' | 'notice'
}

/**
 * Every department id a document names, in reading order: `<!-- for: … -->` lines that are a section's first line,
 * `for:` on patches, priorities, projects and incidents, and a notice's `departments:`.
 */
export function namedDepartments(doc: Doc): NamedDepartment[] {
  const named: NamedDepartment[] = []
  const children = doc.body.children
  children.forEach((node, index) => {
    const found = forMarker(node)
    const previous = children[index - 1]
    if (found && previous?.type === 'heading' && previous.depth === 2) found.ids.forEach((id, n) => named.push({ id, place: found.places[n], on: 'section' }))
  })
  const lists: [string, NamedDepartment['on'], readonly { for?: string[] }[]][] =
    doc.meta.kind === 'issue'
      ? [
          ['patches', 'patch', doc.meta.patches],
          ['priorities', 'priority', doc.meta.priorities ?? []],
          ['projects', 'project', doc.meta.projects],
          ['incidents', 'incident', doc.meta.incidents],
        ]
      : []
  for (const [key, on, items] of lists) {
    items.forEach((item, index) => item.for?.forEach((id, n) => named.push({ id, place: doc.where(`${key}.${index}.for.${n}`), on })))
  }
  if (doc.meta.kind === 'notice') doc.meta.departments?.forEach((id, n) => named.push({ id, place: doc.where(`departments.${n}`), on: 'notice' }))
  return named
}

/**
 * Every department id a document names (see `namedDepartments`) checked against departments.yml, and every
 * `<!-- for: … -->` line in a place it does not work; returns a file with the problems, or nothing when there are none.
 */
export function checkAudiences(doc: Doc, departments: Departments | undefined): VFile | undefined {
  const file = new VFile({ path: doc.path })
  const known = departments ? [...departments.byId.keys()] : []
  const checkId = (id: string, place: Position | undefined) => {
    if (departments?.byId.has(id)) return
    if (!departments) {
      report(file, 'error', `Department \`${id}\` is named, but the project has no ${departmentsFile}`, 'audience/department', place, `Create content/${departmentsFile} listing the departments (see README.md, "Departments")`)
      return
    }
    const guess = closest(id, known)
    report(file, 'error', `Unknown department \`${id}\``, 'audience/department', place, guess ? `Did you mean \`${guess}\`?` : `Known departments: ${known.join(', ')}`)
  }
  const children = doc.body.children
  children.forEach((node, index) => {
    const found = forMarker(node)
    if (!found) return
    const previous = children[index - 1]
    if (previous?.type !== 'heading' || previous.depth !== 2) {
      report(
        file,
        'error',
        'A `<!-- for: … -->` line only works as the first line under a `##` heading',
        'audience/marker',
        node.position?.start,
        'Move it to the line after the heading of the section it is for',
      )
      return
    }
    if (found.ids.length === 0) report(file, 'error', 'The `<!-- for: -->` line names no department', 'audience/marker', node.position?.start, 'Write it like <!-- for: finance, hr -->')
  })
  for (const { id, place } of namedDepartments(doc)) checkId(id, place)
  return file.messages.length > 0 ? file : undefined
}

/** True when something marked `for` these departments goes to `department` (nothing marked: everyone). */
export function isFor(ids: readonly string[] | undefined, department: string | undefined): boolean {
  return !ids || ids.length === 0 || (department !== undefined && ids.includes(department))
}

/** `Finance`, `Finance and HR`, `Finance, HR and Sales`: department ids named as departments.yml names them (an unknown id as it is written). */
export function departmentNames(ids: readonly string[], departments: Departments | undefined): string {
  const names = ids.map((id) => departments?.byId.get(id)?.name ?? id)
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** `For Finance and HR` for something marked for some departments; undefined for something for everyone. */
export function audienceLabel(ids: readonly string[] | undefined, departments: Departments | undefined): string | undefined {
  return ids && ids.length > 0 ? `For ${departmentNames(ids, departments)}` : undefined
}
