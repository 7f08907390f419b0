import { createHash } from 'node:crypto'
import { sendKey } from './ledger.ts'

/** The Message-ID of (slug, recipient): the same on every attempt, so a duplicate carries the same ID. */
export function messageId(slug: string, key: string, domain: string): string {
  const hash = createHash('sha256').update(`${slug}\0${key}`).digest('hex').slice(0, 32)
  return `<${slug}.${hash}@${domain}>`
}

/**
 * The Message-ID of one revision of a notice for one recipient: that of its send key, so revision 1 keeps the ID
 * every send has used (`messageId(slug, key, domain)`) and a notice first mailed before revisions existed still threads.
 */
export function revisionMessageId(slug: string, revision: number, key: string, domain: string): string {
  return messageId(sendKey(slug, revision), key, domain)
}

/** Headers that put a later revision in the same conversation as the first (Outlook and Gmail thread on them). */
export interface ThreadHeaders {
  'In-Reply-To': string
  References: string
}

/**
 * `In-Reply-To` and `References` for revision 2 and later: both name that recipient's first message of the notice
 * (RFC 5322 §3.6.4). Revision 1 starts the thread and gets none.
 */
export function threadHeaders(slug: string, revision: number, key: string, domain: string): ThreadHeaders | undefined {
  if (revision <= 1) return undefined
  const first = revisionMessageId(slug, 1, key, domain)
  return { 'In-Reply-To': first, References: first }
}
