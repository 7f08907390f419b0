import { isFor } from '../content/audience.ts'
import { contactLinks } from '../content/contact-links.ts'
import type { Department } from '../content/departments.ts'
import type { RenderedDoc } from './parts.ts'

/**
 * One department's edition of a rendered document: the sections, patches, priorities, projects and incidents for everyone or for
 * it, and its IT contact. Without a department, the general edition: only what is for everyone. Nothing is rendered
 * again; the parts are shared with the full rendering.
 */
export function editionOf(doc: RenderedDoc, department: Department | undefined): RenderedDoc {
  const id = department?.id
  const keep = <T extends { for?: string[] }>(items: readonly T[]) => items.filter((item) => isFor(item.for, id))
  const edition: RenderedDoc = { ...doc, sections: keep(doc.sections) }
  if (doc.issue) {
    const { patches, priorities, projects, incidents } = doc.issue
    edition.issue = { ...doc.issue, patches: keep(patches), priorities: priorities && keep(priorities), projects: keep(projects), incidents: keep(incidents) }
  }
  if (department) {
    edition.edition = { department: { id: department.id, name: department.name }, contact: department.contact && contactLinks(department.contact) }
  }
  return edition
}

/** What an edition holds, as readers see it (section titles, `Patch: …`): the dry run lists it per department. */
export function editionContents(doc: RenderedDoc): string[] {
  return [
    ...doc.sections.map((section) => section.title ?? section.id),
    ...(doc.issue?.patches ?? []).map((patch) => `Patch: ${patch.title}`),
    ...(doc.issue?.priorities ?? []).map((priority) => `Priority: ${priority.title}`),
    ...(doc.issue?.projects ?? []).map((project) => `Project: ${project.name}`),
    ...(doc.issue?.incidents ?? []).map((incident) => `Incident: ${incident.service}`),
  ]
}
