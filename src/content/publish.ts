import type { Status } from './types.ts'

/** Whether a document with this status is built: only `approved` ones, unless drafts (`draft` and `review`) are asked for. */
export function isPublished(meta: { status: Status }, options: { drafts?: boolean } = {}): boolean {
  return meta.status === 'approved' || Boolean(options.drafts)
}
