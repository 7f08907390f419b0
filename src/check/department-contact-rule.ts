import { VFile } from 'vfile'
import type { Departments } from '../content/departments.ts'
import { createEmitter, type ChecksSettings } from './rules.ts'

/**
 * `departments/no-contact`: a department whose edition would name no IT contact, at its entry in departments.yml
 * (`path`, whose text is `text`). Returns a new file with the findings.
 */
export function checkDepartmentContacts(path: string, text: string, departments: Departments, settings: ChecksSettings | undefined): VFile {
  const file = new VFile({ path, value: text })
  const emit = createEmitter(file, settings)
  departments.list.forEach((department, index) => {
    if (department.contact) return
    emit(
      'departments/no-contact',
      departments.where(`departments.${index}`),
      `Department \`${department.id}\` has no contact: its edition names nobody in IT to ask`,
      'Add its relationship manager: contact: { name: "…", email: …, phone: "…" }',
    )
  })
  return file
}
