import { departmentsFile, type Department, type Departments } from '../content/departments.ts'
import { buildEmail, type EmailArtifact } from '../email/build-email.ts'
import { NewsletterError } from '../errors.ts'
import { editionContents, editionOf } from '../markdown/edition.ts'
import type { RenderedDocument } from '../project/open-document.ts'
import { prepareMessages, type MessageOptions, type PreparedMessages } from './message.ts'
import type { Recipient } from './recipients.ts'

/** One edition of a send: whose it is, what it holds, and who gets it. */
export interface EditionPlan {
  /** Absent: the general edition (people whose department is not known, or a send without departments). */
  department?: Department
  /** What the edition holds, as readers see it (section titles, `Patch: …`). */
  contents: string[]
  /** How many of the send's recipients get it (for `--departments`, the one list address). */
  recipients: number
}

/** Every recipient's message, picked from their department's edition; each edition rendered once. */
export interface PreparedEditions extends PreparedMessages {
  editions: EditionPlan[]
}

/**
 * Render one edition per department the recipients belong to (plus the general edition when someone has none), never
 * one per person, and prepare its messages. A project without departments, and a test send, get the document's one
 * email as `build` writes it.
 */
export async function prepareEditions(document: RenderedDocument, recipients: readonly Recipient[], options: MessageOptions): Promise<PreparedEditions> {
  const departments = document.project.departments.departments
  const { settings } = document.config
  if (!departments || options.test) {
    const prepared = prepareMessages(document.email, settings, options)
    return { ...prepared, editions: [{ contents: editionContents(document.parts), recipients: recipients.length }] }
  }
  const counts = new Map<string | undefined, number>()
  for (const recipient of recipients) counts.set(recipient.department, (counts.get(recipient.department) ?? 0) + 1)
  const layouts = document.project.layouts!
  const byKey = new Map<string | undefined, PreparedMessages>()
  const editions: EditionPlan[] = []
  // Departments in the order departments.yml lists them, then the general edition.
  const order = [...departments.list.map((department) => department.id), undefined].filter((id) => counts.has(id))
  for (const id of order) {
    const department = id === undefined ? undefined : departments.byId.get(id)
    const parts = editionOf(document.parts, department)
    const email: EmailArtifact = await buildEmail(parts, settings, layouts)
    byKey.set(id, prepareMessages(email, settings, options))
    editions.push({ department, contents: editionContents(parts), recipients: counts.get(id)! })
  }
  const pick = (recipient: Recipient) => byKey.get(recipient.department)!
  return {
    message: (recipient) => pick(recipient).message(recipient),
    unsafeLink: (recipient) => pick(recipient).unsafeLink(recipient),
    editions,
  }
}

/**
 * `send --departments`: one recipient per department, its distribution list. A department without a `list` is refused
 * before anything is sent, naming it; `only` limits the send to the departments a notice affects.
 */
export function departmentLists(departments: Departments | undefined, only: readonly string[] | undefined): Recipient[] {
  if (!departments) {
    throw new NewsletterError(`--departments needs content/${departmentsFile}, which this project does not have`, 'usage', undefined, {
      hint: 'List the departments and their distribution lists there (see README.md, "Departments")',
    })
  }
  const chosen = departments.list.filter((department) => !only || only.includes(department.id))
  const missing = chosen.filter((department) => !department.list)
  if (missing.length > 0) {
    throw new NewsletterError(
      `${missing.length === 1 ? 'Department' : 'Departments'} ${missing.map((department) => `\`${department.id}\``).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no \`list\` address: nothing was sent`,
      'refused',
      undefined,
      { hint: `Add list: <address> to ${missing.length === 1 ? 'it' : 'each'} in content/${departmentsFile}, or send to people with --recipients FILE` },
    )
  }
  return chosen.map((department) => ({
    email: department.list!,
    key: department.list!.toLowerCase(),
    fields: { email: department.list!, name: department.name, department: department.name },
    department: department.id,
  }))
}
