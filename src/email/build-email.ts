import { blockOrder, type Settings } from '../config.ts'
import { noticeSubject } from '../content/revisions.ts'
import { kickerOf, type RenderedDoc } from '../markdown/parts.ts'
import { inlineText, LinkRefs } from '../markdown/plain-text.ts'
import { compileMjml, type MjmlRunner } from './compile.ts'
import { fillLayout, traceLine, type Layouts } from './layout.ts'
import { exactLineHeights } from './outlook.ts'
import { renderText } from './text-part.ts'
import { emailUrls } from './urls.ts'

/** One finished email: what `build` writes and `send` mails. */
export interface EmailArtifact {
  kind: 'issue' | 'notice'
  slug: string
  subject: string
  html: string
  text: string
  /** Size of the HTML in bytes (Gmail clips past ~102 KB). */
  bytes: number
  /** The filled MJML layout the HTML was compiled from (the preview's Source tab shows it). */
  mjml: string
}

/** A document's MJML layout filled in: which layout, the data it was given (to trace errors), and the MJML. */
export interface FilledLayout {
  name: string
  data: { settings: Settings; doc: RenderedDoc; urls: ReturnType<typeof emailUrls> } & Record<string, unknown>
  mjml: string
}

/** Fill the layout for this kind of document; all values are escaped unless already sanitized HTML. */
export function fillEmailLayout(doc: RenderedDoc, settings: Settings, layouts: Layouts): FilledLayout {
  const name = `${doc.kind}.mjml`
  const data = {
    settings,
    doc,
    issue: doc.issue,
    notice: doc.notice,
    urls: emailUrls(doc, settings),
    kicker: kickerOf(doc),
    preheader: inlineText(doc.summary.nodes, new LinkRefs()),
    order: blockOrder(settings.order),
    // The body's first section is the lead story; `order:` places it and the rest of the body apart.
    lead: doc.sections.slice(0, 1),
    rest: doc.sections.slice(1),
  }
  return { name, data, mjml: fillLayout(layouts, name, data) }
}

/** Rendered document → MJML layout → HTML (here, or on a worker with `run`), plus the text part from the same parts. */
export async function buildEmail(doc: RenderedDoc, settings: Settings, layouts: Layouts, run?: MjmlRunner): Promise<EmailArtifact> {
  // 1. Fill the layout for this kind of document
  const { name, data, mjml } = fillEmailLayout(doc, settings, layouts)
  // 2. Compile with strict validation and includes off; errors point at the layout line
  const html = exactLineHeights(await compileMjml(mjml, (line) => traceLine(layouts, name, data, line), run))
  // 3. The text part comes from the same parts, not from scraping the HTML
  const text = renderText(doc, settings, data.urls)
  // A notice's subject names its state, so each revision reads as news in the inbox: `[Cause identified] VPN: …`.
  const subject = doc.notice ? noticeSubject({ state: doc.notice.state, title: doc.title }) : doc.title
  return { kind: doc.kind, slug: doc.slug, subject, html, text, bytes: Buffer.byteLength(html), mjml }
}
