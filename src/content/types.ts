import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import type { Position } from '../errors.ts'

export type Status = 'draft' | 'review' | 'approved'
export type Severity = 'critical' | 'important' | 'moderate' | 'low'
export type ProjectStatus = 'planned' | 'on-track' | 'at-risk' | 'delayed' | 'done'
export type IncidentState = 'investigating' | 'identified' | 'monitoring' | 'resolved'
export type MaintenanceState = 'scheduled' | 'in-progress' | 'completed'
export type NoticeState = IncidentState | MaintenanceState
/** Front matter `kind:` of a notice (default incident). */
export type NoticeKind = 'incident' | 'maintenance'

/** Fields every issue and notice has. Prose fields hold inline Markdown. */
export interface CommonMeta {
  title: string
  date: string
  status: Status
  summary: string
  approved_by?: string
  approved_at?: string
  approved_digest?: string
}

export interface Patch {
  title: string
  id?: string
  product?: string
  severity?: Severity
  cves: string[]
  rollout?: string
  restart?: boolean
  action?: string
}

export interface Threat {
  name: string
  summary: string
  signs: string[]
  actions: string[]
  report?: string
}

export interface TopQuestion {
  question: string
  answer: string
  asked?: number
}

export interface Project {
  name: string
  status: ProjectStatus
  summary?: string
  eta?: string
}

export interface Incident {
  service: string
  start: string
  end?: string
  impact: string
  cause?: string
  fix?: string
}

/** Validated front matter of a monthly issue. */
export interface IssueMeta extends CommonMeta {
  kind: 'issue'
  issue: number
  tags: string[]
  patches: Patch[]
  threat?: Threat
  top_question?: TopQuestion
  projects: Project[]
  incidents: Incident[]
}

/** One entry of `updates:`: one revision of the notice. `state` is the notice's state as of that update. */
export interface NoticeUpdate {
  time: string
  state?: NoticeState
  text: string
}

/** Validated front matter of a service notice. */
export interface NoticeMeta extends CommonMeta {
  kind: 'notice'
  /** Front matter `kind:` (`kind` itself tells issues from notices). */
  noticeKind: NoticeKind
  service: string
  state: NoticeState
  impact: string
  workaround?: string
  /** When planned work happens (maintenance only), as written: YYYY-MM-DDTHH:MM in the settings' time zone. */
  window?: { start: string; end: string }
  next_update?: string
  updates: NoticeUpdate[]
}

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
