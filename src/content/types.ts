import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import type { Position } from '../errors.ts'
import type { issueFields, noticeFields, noticeKinds, noticeStates } from './fields.ts'
import type { InferFields } from './schema.ts'

/** Validated front matter of a monthly issue: the type is derived from the schema in fields.ts, never written twice. */
export type IssueMeta = InferFields<typeof issueFields> & { kind: 'issue' }

/**
 * Validated front matter of a service notice. Its front-matter `kind:` (incident or maintenance) is `noticeKind`
 * here, since `kind` tells issues from notices.
 */
export type NoticeMeta = Omit<InferFields<typeof noticeFields>, 'kind'> & { kind: 'notice'; noticeKind: NoticeKind }

export type Status = IssueMeta['status']
export type Patch = IssueMeta['patches'][number]
export type Severity = NonNullable<Patch['severity']>
/** One entry of an issue's `projects:` list (the loaded project folder is `Project` in project/project.ts). */
export type ProjectEntry = IssueMeta['projects'][number]
export type ProjectStatus = ProjectEntry['status']
export type NoticeState = NoticeMeta['state']
export type IncidentState = (typeof noticeStates.incident)[number]
export type MaintenanceState = (typeof noticeStates.maintenance)[number]
/** One entry of `updates:`: one revision of the notice. `state` is the notice's state as of that update. */
export type NoticeUpdate = NoticeMeta['updates'][number]
/** Front matter `kind:` of a notice (default incident). */
export type NoticeKind = (typeof noticeKinds)[number]

/** A content file that passed validation: front matter typed, body as mdast with file positions. */
export interface Doc<M extends IssueMeta | NoticeMeta = IssueMeta | NoticeMeta> {
  slug: string
  path: string
  meta: M
  body: Root
  /** The file's messages (errors and warnings); `check`, `build` and the preview print these. */
  file: VFile
  /** {@link contentDigest} of the file's text as read: what `approved_digest` is compared with. */
  digest: string
  /** Where a front-matter value sits in the .md file, by dotted path (`patches.0.restart`). */
  where(path: string): Position | undefined
}

export type Issue = Doc<IssueMeta>
export type Notice = Doc<NoticeMeta>
