import type { Settings } from '../config.ts'
import { addressOf } from '../content/address.ts'
import { telUrl } from '../content/contact-links.ts'
import type { RenderedDoc } from '../markdown/parts.ts'

/** The links every email carries: view in browser, archive, feedback and "ask IT". */
export interface EmailUrls {
  browser: string
  archive: string
  feedbackYes: string
  feedbackNo: string
  ask: string
  /** The helpdesk phone as a `tel:` link, when the settings give one. */
  phone?: string
}

/** Build the footer links from the settings; feedback goes to IT's mailbox with a subject that says what it is about. */
export function emailUrls(doc: RenderedDoc, settings: Settings): EmailUrls {
  const about = doc.kind === 'issue' ? `IT news issue ${doc.issue?.number}` : `Service notice: ${doc.title}`
  const mail = (subject: string) => `mailto:${settings.contact.email}?subject=${encodeURIComponent(subject)}`
  return {
    browser: `${settings.archive_url}${addressOf(doc).email}`,
    archive: settings.archive_url,
    feedbackYes: mail(`${about} was useful`),
    feedbackNo: mail(`${about} was not useful`),
    ask: mail(`A question for IT (${about})`),
    phone: settings.contact.phone && telUrl(settings.contact.phone),
  }
}
