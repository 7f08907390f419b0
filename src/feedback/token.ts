/** A reader's one-tap answer: yes, it helped, or no. */
export type Answer = 'yes' | 'no'

/** What a feedback link is about: a document (by slug), one `##` section of it or the whole of it, and the answer. */
export interface FeedbackToken {
  slug: string
  /** The section's id (`windows-11-update-restart-on-thursday`); absent: the whole issue. */
  section?: string
  answer: Answer
}

/**
 * The token a feedback link writes into its subject: `[fb:2026-11/yes]` for the whole issue,
 * `[fb:2026-11/windows-restarts/no]` for a section. Slugs and section ids are `[a-z0-9-]`, so the token has no space
 * a mail client could fold at, and nothing names the reader: every reader's email has the same links.
 */
export function formatToken(token: FeedbackToken): string {
  return `[fb:${token.slug}/${token.section ? `${token.section}/` : ''}${token.answer}]`
}

// Mail clients prefix the subject (RE:, AW:, SV:, Fwd:), fold a long one over lines (a space may then sit where the
// line broke, RFC 5322 §2.2.3), some drop the brackets or change the case: accept all of that.
const tokenPattern = /\[?\s*fb\s*:\s*([a-z0-9][a-z0-9-]*)\s*\/\s*(?:([a-z0-9][a-z0-9-]*)\s*\/\s*)?(yes|no)\b\s*\]?/i

/** The token in a subject as a mail client gave it back, if there is one. */
export function findToken(subject: string): FeedbackToken | undefined {
  const found = tokenPattern.exec(subject.replace(/\s+/g, ' '))
  if (!found) return undefined
  const [, slug, section, answer] = found
  return { slug: slug!.toLowerCase(), section: section?.toLowerCase(), answer: answer!.toLowerCase() as Answer }
}

/** The subject of a feedback link: a part people can read, then the token (`Feedback on November 2026: Windows restarts — yes [fb:…]`). */
export function feedbackSubject(about: string, token: FeedbackToken): string {
  return `Feedback on ${about} — ${token.answer} ${formatToken(token)}`
}
