import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import type { Position } from '../errors.ts'
import type { issueFields, noticeFields } from './fields.ts'
import type { InferFields } from './schema.ts'

/** Validated front matter of a monthly issue: the type is derived from the schema in fields.ts, never written twice. */
export type IssueMeta = InferFields<typeof issueFields> & { kind: 'issue' }

/** Validated front matter of a service notice. */
export type NoticeMeta = InferFields<typeof noticeFields> & { kind: 'notice' }

export type Status = IssueMeta['status']
export type Patch = IssueMeta['patches'][number]
export type Severity = NonNullable<Patch['severity']>
export type Project = IssueMeta['projects'][number]
export type ProjectStatus = Project['status']
export type NoticeState = NoticeMeta['state']

/** A content file that passed validation: front matter typed, body as mdast with file positions. */
export interface Doc<M extends IssueMeta | NoticeMeta = IssueMeta | NoticeMeta> {
  slug: string
  path: string
  meta: M
  body: Root
  /** The file's messages (errors and warnings); `check`, `build` and the preview print these. */
  file: VFile
  /** Where a front-matter value sits in the .md file, by dotted path (`patches.0.restart`). */
  where(path: string): Position | undefined
}

export type Issue = Doc<IssueMeta>
export type Notice = Doc<NoticeMeta>
