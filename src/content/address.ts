/** What names a document on the archive: whether it is an issue or a notice, and its slug (the file name). */
export interface Addressed {
  kind: 'issue' | 'notice'
  slug: string
}

/**
 * Where one document lives on the archive, as paths below the site root (no leading slash): the one place that knows
 * the archive's layout. Prefix `archive_url` for a link in an email or a post, the site's base for a link on a page.
 */
export interface Address {
  /** `issues/2026-11`: the document's id, what links and the preview name it by. */
  id: string
  /** `issues/2026-11/`: its archive page. */
  page: string
  /** `email/2026-11/`: the email as sent, as a web page ("View in browser"). */
  email: string
  /** `2026-11.ics`: the name of a maintenance's calendar file, in the email and on the archive. */
  calendarFile: string
  /** `notices/<slug>/<slug>.ics`: the calendar file, beside the notice's page. */
  calendar: string
  /** `notices/<slug>/#update-3`: one revision of a notice on its page (also the feed entry's id). */
  update(revision: number): string
}

/** The archive's folder for each kind of document. */
export const folderOf = { issue: 'issues', notice: 'notices' } as const

/** Where `doc` lives on the archive. */
export function addressOf(doc: Addressed): Address {
  const id = `${folderOf[doc.kind]}/${doc.slug}`
  const page = `${id}/`
  const calendarFile = `${doc.slug}.ics`
  return {
    id,
    page,
    email: `email/${doc.slug}/`,
    calendarFile,
    calendar: `${page}${calendarFile}`,
    update: (revision) => `${page}#update-${revision}`,
  }
}
