import { collectMessages, formatText, type JsonMessage } from '../check/messages.ts'
import type { Config } from '../config.ts'
import { addressOf, folderOf, type Address } from '../content/address.ts'
import type { Kind } from '../content/load.ts'
import { noticeRevision } from '../content/revisions.ts'
import { closest } from '../content/schema.ts'
import type { Doc } from '../content/types.ts'
import type { EmailArtifact } from '../email/build-email.ts'
import { NewsletterError, type ErrorCode } from '../errors.ts'
import type { RenderedDoc } from '../markdown/parts.ts'
import { sendKey } from '../send/ledger.ts'
import { failed, runPipeline } from './pipeline.ts'
import { loadProject, type Project } from './project.ts'

/** Whether a document may go out as it is: approved and unchanged since, changed since its approval, or never approved. */
export type ApprovalState =
  | { state: 'approved'; by?: string; at?: string; digest: string }
  | { state: 'changed'; by?: string; at?: string; approvedDigest: string; digest: string }
  | { state: 'unapproved'; digest: string }

/** One issue or notice, opened for a command that acts on it: everything every such command needs to know about it. */
export interface OpenedDocument {
  project: Project
  config: Config
  doc: Doc
  /** The .md file as written (for the approval digest, `{{field}}` positions and edits). */
  text: string
  address: Address
  /** 1 for an issue; a notice's number of updates (each is news, sent and posted once). */
  revision: number
  /** What the ledger records this revision's send and posts under. */
  sendKey: string
  approval: ApprovalState
  /** Warnings from loading the settings and the file (not the writing checks, which are `check`'s): every command prints them. */
  warnings: JsonMessage[]
}

/** An opened document, rendered and checked exactly as `build` renders and checks it. */
export interface RenderedDocument extends OpenedDocument {
  parts: RenderedDoc
  email: EmailArtifact
}

/** What a command that opens a document says when it has errors, and with which exit code. */
export interface OpenOptions {
  /** Only this kind: the other kind with the same slug is then a usage error naming it. */
  kind?: Kind
  /** What was not done, ending the error: `Not approved`, `Nothing was sent`. */
  refusal: string
  /** `content` (exit 1, the default) or `refused` (exit 2). */
  code?: ErrorCode
}

/** Errors in the settings or the document: the messages are printed first, then this error's message. */
export class DocumentErrors extends NewsletterError {
  constructor(
    readonly messages: JsonMessage[],
    refusal: string,
    code: ErrorCode,
  ) {
    super(`${refusal}: fix the errors above first.`, code, undefined, { details: formatText(messages) })
  }
}

/**
 * The one way a command reaches one document: the settings, the file named `slug`, its parse, address, revision,
 * send key and approval. Only this document is validated (a typo in another draft never holds up an urgent notice).
 * No such document, or two of that name, is a usage error (exit 2) saying what to do; errors in the settings or the
 * file throw {@link DocumentErrors}.
 */
export async function openDocument(root: string, slug: string, options: OpenOptions): Promise<OpenedDocument> {
  const project = await loadProject(root, { only: (source) => source.slug === slug && (options.kind ?? source.kind) === source.kind })
  const code = options.code ?? 'content'
  if (!project.config) throw new DocumentErrors(errorsOf(collectMessages([project.settingsFile])), options.refusal, code)
  const entry = onlyEntry(project, slug, options.kind)
  const { doc, file } = entry.loaded
  const messages = collectMessages([project.settingsFile, project.departments.file, file, ...project.crossFile])
  if (!doc || entry.text === undefined || messages.some((m) => m.severity === 'error')) throw new DocumentErrors(errorsOf(messages), options.refusal, code)
  const revision = doc.meta.kind === 'notice' ? noticeRevision(doc.meta) : 1
  return {
    project,
    config: project.config,
    doc,
    text: entry.text,
    address: addressOf({ kind: doc.meta.kind, slug }),
    revision,
    sendKey: sendKey(slug, revision),
    approval: approvalOf(doc),
    warnings: messages,
  }
}

/** Render and check an opened document as `build` does; errors from the checks or the layouts throw {@link DocumentErrors}. */
export async function renderDocument(opened: OpenedDocument, options: OpenOptions): Promise<RenderedDocument> {
  const pipeline = await runPipeline(opened.project, { drafts: true, only: (doc) => doc === opened.doc })
  const [parts] = pipeline.rendered
  const [email] = pipeline.emails
  if (failed(pipeline) || !parts || !email) throw new DocumentErrors(errorsOf(collectMessages(pipeline.files)), options.refusal, options.code ?? 'content')
  return { ...opened, parts, email }
}

/** Open and render in one call: what `send`, `post` and `approve` want. */
export async function openRendered(root: string, slug: string, options: OpenOptions): Promise<RenderedDocument> {
  return renderDocument(await openDocument(root, slug, options), options)
}

/** Where a document stands with its approval, from its front matter and the digest of its text as read. */
export function approvalOf(doc: Doc): ApprovalState {
  const { digest } = doc
  const { status, approved_by: by, approved_at: at, approved_digest: approvedDigest } = doc.meta
  if (status === 'approved' && approvedDigest === digest) return { state: 'approved', by, at, digest }
  if (approvedDigest && approvedDigest !== digest) return { state: 'changed', by, at, approvedDigest, digest }
  return { state: 'unapproved', digest }
}

function onlyEntry(project: Project, slug: string, kind: Kind | undefined): Project['sources'][number] {
  const [entry, ...others] = project.sources
  if (others.length > 0) {
    const paths = project.sources.map(({ source }) => source.path)
    throw new NewsletterError(`Both ${paths.join(' and ')} are named ${slug}`, 'usage', undefined, {
      hint: 'Rename one of them: a slug names one page of the archive',
    })
  }
  if (entry) return entry
  const ids = [...project.pages]
  if (kind && ids.some((id) => id.endsWith(`/${slug}`))) {
    const [wanted, found] = kind === 'notice' ? ['a notice', 'an issue'] : ['an issue', 'a notice']
    throw new NewsletterError(`\`${slug}\` is ${found}, not ${wanted}`, 'usage', undefined, { hint: `Give the slug of ${wanted} (content/${folderOf[kind]}/)` })
  }
  const slugs = ids.flatMap((id) => (kind && !id.startsWith(`${folderOf[kind]}/`) ? [] : [id.slice(id.indexOf('/') + 1)]))
  const guess = closest(slug, slugs)
  throw new NewsletterError(`No ${kind ?? 'issue or notice'} named \`${slug}\`${kind ? ` in content/${folderOf[kind]}/` : ''}`, 'usage', undefined, {
    hint: guess
      ? `Did you mean \`${guess}\`?`
      : slugs.length > 0
        ? `The slug is the file name without .md: ${slugs.slice(0, 10).join(', ')}`
        : `Start one with: newsletter new${kind === 'notice' ? ' --notice' : ''}`,
  })
}

function errorsOf(messages: readonly JsonMessage[]): JsonMessage[] {
  return messages.filter((message) => message.severity === 'error')
}
