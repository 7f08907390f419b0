import { relative, resolve } from 'node:path'
import { VFile } from 'vfile'
import { namedDepartments } from '../content/audience.ts'
import { projectDocs, type Project } from '../project/project.ts'
import { readRecipients } from '../send/recipients.ts'
import { createEmitter } from './rules.ts'

/**
 * `departments/no-recipients` (`check --recipients FILE`): a section, patch, project, incident or notice for a
 * department nobody in the recipients file is in would reach no one. The file is read as `send` reads it (any export,
 * departments mapped through their aliases); returns its own problems and one file of findings per document.
 */
export async function checkAudienceReach(project: Project, recipientsFile: string): Promise<VFile[]> {
  const departments = project.departments.departments
  const shown = relative(project.root, resolve(project.root, recipientsFile)) || recipientsFile
  const list = await readRecipients(resolve(project.root, recipientsFile), { departments, columns: project.config?.settings.send?.recipients_columns })
  // Its problems are named as the project names files: relative to the project.
  const file = Object.assign(list.file, { path: shown })
  if (!departments) return [file]
  const reached = new Set(list.recipients.flatMap((recipient) => (recipient.department ? [recipient.department] : [])))
  const findings = projectDocs(project).map((doc) => {
    const found = new VFile({ path: doc.path, value: String(doc.file.value ?? '') })
    const emit = createEmitter(found, project.config?.settings.checks)
    for (const { id, place, on } of namedDepartments(doc)) {
      // An unknown id is already an error (audience/department).
      if (!departments.byId.has(id) || reached.has(id)) continue
      emit(
        'departments/no-recipients',
        place,
        `Nobody in ${shown} is in department \`${id}\`: this ${on} reaches no one there`,
        `Check the department column of ${shown} and the aliases of \`${id}\` in departments.yml, or take \`${id}\` off`,
      )
    }
    return found
  })
  return [file, ...findings]
}
