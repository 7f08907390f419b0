import type { Settings } from '../config.ts'
import { addressOf } from '../content/address.ts'
import { monthLabel } from '../content/clock.ts'
import { telUrl } from '../content/contact-links.ts'
import { feedbackSubject, type Answer } from '../feedback/token.ts'
import type { RenderedDoc } from '../markdown/parts.ts'

/** A pair of one-tap answers: two `mailto:` links whose subjects carry the token. */
export type FeedbackLinks = Record<Answer, string>

/** The links every email carries: view in browser, archive, feedback and "ask IT". */
export interface EmailUrls {
  browser: string
  archive: string
  /** The answers about the whole document, at its end. */
  feedback: FeedbackLinks
  /** The answers about each titled `##` section, by section id, when `feedback.per_section` is on (issues only). */
  sectionFeedback: Record<string, FeedbackLinks>
  ask: string
  /** The helpdesk phone as a `tel:` link, when the settings give one. */
  phone?: string
}

/**
 * Build the footer links from the settings. Feedback goes to `feedback.address` (default: IT's mailbox) with a subject
 * that says what it is about and carries the token `feedback import` counts: no pixel, no redirect, and the same
 * links for every reader.
 */
export function emailUrls(doc: RenderedDoc, settings: Settings): EmailUrls {
  const about = doc.kind === 'issue' ? `IT news issue ${doc.issue?.number}` : `Service notice: ${doc.title}`
  const mail = (subject: string, to = settings.contact.email) => `mailto:${to}?subject=${encodeURIComponent(subject)}`
  const to = settings.feedback?.address ?? settings.contact.email
  const month = monthLabel(doc.date, settings.language)
  const label = doc.kind === 'issue' ? month : doc.title
  const links = (readable: string, section?: string): FeedbackLinks => ({
    yes: mail(feedbackSubject(readable, { slug: doc.slug, section, answer: 'yes' }), to),
    no: mail(feedbackSubject(readable, { slug: doc.slug, section, answer: 'no' }), to),
  })
  const perSection = doc.kind === 'issue' && settings.feedback?.per_section === true
  return {
    browser: `${settings.archive_url}${addressOf(doc).email}`,
    archive: settings.archive_url,
    feedback: links(doc.kind === 'issue' ? `issue ${doc.issue?.number}, ${month}` : label),
    sectionFeedback: Object.fromEntries(
      perSection ? doc.sections.flatMap((section) => (section.title ? [[section.id, links(`${label}: ${section.title}`, section.id)]] : [])) : [],
    ),
    ask: mail(`A question for IT (${about})`),
    phone: settings.contact.phone && telUrl(settings.contact.phone),
  }
}
