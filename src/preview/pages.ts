import { pathToFileURL } from 'node:url'
import { summarize } from '../check/messages.ts'
import { clipBytes, warnBytes } from '../check/email-checks.ts'
import type { Department } from '../content/departments.ts'
import { escapeHtml } from '../email/personalize.ts'
import { editionContents, editionOf } from '../markdown/edition.ts'
import { cutInboxText, inboxCuts, inboxText } from './inbox.ts'
import { missingFields, personalize, type Reader } from './reader.ts'
import type { DocSummary, DocPreview, SourceFile } from './state.ts'

const e = escapeHtml

function shell(title: string, body: string, key = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<link rel="stylesheet" href="/preview.css">
<script src="/preview.js" defer></script>
</head>
<body data-key="${e(key)}">
${body}
</body>
</html>
`
}

function statusBadge(summary: DocSummary): string {
  if (!summary.status) return '<span class="badge broken">cannot be read</span>'
  return `<span class="badge status-${e(summary.status)}">${e(summary.status[0]!.toUpperCase() + summary.status.slice(1))}</span>`
}

function counts(summary: DocSummary): string {
  if (!summary.checked)
    return `<span class="pending">${summary.errors ? `${summary.errors} error${summary.errors === 1 ? '' : 's'} so far, ` : ''}checking…</span>`
  if (summary.errors + summary.warnings === 0) return '<span class="ok">no problems</span>'
  return `<span class="${summary.errors > 0 ? 'bad' : 'warn'}">${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}</span>`
}

/** The list of every issue and notice, drafts included and marked. */
export function indexPage(docs: readonly DocSummary[]): string {
  const rows = docs
    .map(
      (doc) =>
        `<tr class="${doc.status === 'draft' ? 'draft' : ''}"><td>${doc.kind}</td><td><a href="/${e(doc.key)}/">${e(doc.title)}</a></td><td>${e(doc.date ?? '')}</td><td>${statusBadge(doc)}</td><td>${counts(doc)}</td><td><code>${e(doc.path)}</code></td></tr>`,
    )
    .join('\n')
  return shell(
    'Newsletter preview',
    `<header><h1>Newsletter preview</h1><p>Every issue and notice, drafts included. Pages reload by themselves when a file is saved.</p></header>
<main>
<div class="table-scroll"><table class="docs"><thead><tr><th>Kind</th><th>Title</th><th>Date</th><th>Status</th><th>Checks</th><th>File</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="6">No issues or notices in content/ yet.</td></tr>'}
</tbody></table></div>
</main>`,
  )
}

function sizeMeter(bytes: number): string {
  const percent = Math.round((bytes / clipBytes) * 100)
  return `<span class="size"><meter min="0" max="${clipBytes}" low="${warnBytes}" high="${warnBytes}" optimum="0" value="${Math.min(bytes, clipBytes)}"></meter> ${(bytes / 1000).toFixed(1)} KB of the ${clipBytes / 1000} KB Gmail budget (${percent}%)</span>`
}

// Frames get their address from the script when their tab is first shown, so a reload after a save loads only
// the frames in view, not all seven.
function frame(id: string, src: string, width: number, caption: string, extra = ''): string {
  return `<figure><figcaption>${e(caption)}</figcaption><iframe id="${id}" class="email ${extra}" data-src="${e(src)}" width="${width}" title="${e(caption)}" sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"></iframe></figure>`
}

/** What a document page needs besides the document. */
export interface PageOptions {
  /** Link for a file position: `{path}` (absolute, in URL form: `/home/…` or `/C:/…`), `{line}` and `{column}` are filled in. */
  editorUrl: string
  /** The sender as the settings give it, `Name <address>` or an address. */
  from: string
  /** This run's token for the test-send and approve buttons (the only requests that act). */
  token: string
  /** Addresses the test-send field starts with (`preview.test_to`). */
  testTo: readonly string[]
  /** The departments of content/departments.yml, in its order; none without the file. */
  departments: readonly Department[]
  /** The edition the page shows (`?edition=`: a department id or {@link generalEdition}); undefined: the whole document. */
  edition?: string
}

/** The `?edition=` value of the general edition: what people in no department get (an id never has an underscore). */
export const generalEdition = '_general'

/** The department an `?edition=` value names: undefined for the general edition. */
export function editionDepartment(value: string, departments: readonly Department[]): { department?: Department } | undefined {
  if (value === generalEdition) return {}
  const department = departments.find((candidate) => candidate.id === value)
  return department && { department }
}

/** VS Code's link for opening a file at a line and column. */
export const defaultEditorUrl = 'vscode://file{path}:{line}:{column}'

function editorLink(template: string, abs: string, line: number, column: number): string {
  const path = pathToFileURL(abs).pathname
  return template.replaceAll('{path}', path).replaceAll('{line}', String(line)).replaceAll('{column}', String(column))
}

/** The line a message points at (and the one before it), with a caret under its column. */
function excerpt(source: SourceFile | undefined, line: number, column: number): string {
  const text = source?.lines[line - 1]
  if (text === undefined) return ''
  const width = String(line).length
  const gutter = (label: string) => `<span class="ln">${label.padStart(width)} | </span>`
  const before = line > 1 ? `${gutter(String(line - 1))}${e(source!.lines[line - 2]!)}\n` : ''
  // Tabs stay tabs under the line, so the caret lines up however wide the browser draws them.
  const indent = text.slice(0, column - 1).replace(/[^\t]/g, ' ')
  return `<pre class="excerpt">${before}${gutter(String(line))}<mark>${e(text)}</mark>\n${gutter('')}<span class="caret">${indent}^</span></pre>`
}

/** Each message with its line, a caret under the column, its hint, and a link that opens the file there. */
function problemList(view: DocPreview, options: PageOptions): string {
  const items = view.messages.map((m) => {
    const source = view.sources[m.file]
    const at = `${m.file}:${m.line}:${m.column}`
    const link = source
      ? `<a class="at" href="${e(editorLink(options.editorUrl, source.abs, m.line, m.column))}" title="Open in your editor">${e(at)}</a>`
      : e(at)
    return `<li class="problem ${m.severity}"><p>${link}: ${m.severity}: ${e(m.message)} (${e(m.rule)})</p>${excerpt(source, m.line, m.column)}${m.hint ? `<p class="hint">${e(m.hint)}</p>` : ''}</li>`
  })
  return `<ol class="problems">${items.join('\n')}</ol><p>${e(summarize(view.messages))}</p>`
}

/** The sender's name as an inbox list shows it: the display name, else the address. */
function senderName(from: string): string {
  return /^\s*"?([^"<]*?)"?\s*</.exec(from)?.[1] || from.trim()
}

/** The message as a row of an inbox list, cut where each kind of mail app cuts the preview text. */
function inboxTab(from: string, subject: string, html: string, date: string): string {
  const text = inboxText(html)
  const rows = inboxCuts.map((client) => {
    const shown = cutInboxText(text, client.chars)
    const snippet = `<span class="preheader">${e(shown.preheader)}</span>${shown.after ? ` <span class="after">${e(shown.after)}</span>` : ''}${shown.cut ? '…' : ''}`
    return `<figure class="inbox ${client.width}" id="inbox-${client.id}"><figcaption>${e(client.label)}: about ${client.chars} characters of preview text</figcaption>
<div class="row"><span class="from">${e(senderName(from))}</span><span class="subject">${e(subject)}</span><span class="snippet">${snippet}</span><span class="date">${e(date)}</span></div></figure>`
  })
  return `<p>How the message is listed before anyone opens it. The preview text starts with the summary; <span class="after">grey text</span> is what follows the summary in the email, shown when the summary is short.</p>
<p>Summary: <span id="inbox-summary-length">${text.visiblePreheader.length}</span> characters. Full preview text: <q id="inbox-full">${e([text.preheader, text.after.slice(0, 200)].filter(Boolean).join(' '))}</q></p>
<div class="inboxes">${rows.join('\n')}</div>`
}

/** Source text with a line number before each line (drawn by CSS, so copying takes only the source). */
function numbered(id: string, text: string): string {
  const lines = text.replace(/\n$/, '').split('\n')
  return `<pre class="source" id="${id}"><code>${lines.map((line) => `<span class="line">${e(line)}</span>`).join('\n')}</code></pre>`
}

function sourceTab(href: string, email: NonNullable<DocPreview['email']>): string {
  const kb = (text: string) => `${(Buffer.byteLength(text) / 1000).toFixed(1)} KB`
  return `<p>${sizeMeter(email.bytes)}</p>
<details open><summary><h2>Compiled HTML <span class="muted">(${kb(email.html)}, ${email.html.split('\n').length} lines, as sent before each reader's fields are filled; <a href="${e(href)}" target="_blank" rel="noopener">open on its own</a>)</span></h2></summary>
${numbered('source-html', email.html)}</details>
<details><summary><h2>Filled MJML <span class="muted">(${kb(email.mjml)}, ${email.mjml.split('\n').length} lines: the layout with this document's content, before MJML compiled it)</span></h2></summary>
${numbered('source-mjml', email.mjml)}</details>`
}

const tabs = [
  ['email', 'Email'],
  ['inbox', 'Inbox'],
  ['dark', 'Dark mode · No styles'],
  ['text', 'Plain text'],
  ['archive', 'Archive page'],
  ['checks', 'Checks'],
  ['source', 'Source'],
  ['reader', 'Sample reader'],
  ['departments', 'Departments'],
] as const

/** The picker of which edition the page shows: the whole document, each department's, the general one. */
function editionPicker(base: string, options: PageOptions, reader: number): string {
  const choices: [string, string][] = [
    ['', 'Everything (as the archive shows it)'],
    ...options.departments.map((department): [string, string] => [department.id, `${department.name}\u2019s edition`]),
    [generalEdition, 'General edition (people in no department)'],
  ]
  const items = choices.map(([value, label]) => `<option value="${e(value)}"${value === (options.edition ?? '') ? ' selected' : ''}>${e(label)}</option>`)
  return `<form method="get" action="${e(base)}" id="edition-picker"><label>Show <select name="edition" id="edition-select" data-param="edition">${items.join('')}</select></label>${reader > 0 ? `<input type="hidden" name="reader" value="${reader}">` : ''} <noscript><button>Show</button></noscript></form>`
}

/**
 * Every department's edition beside the others and the general edition: what each holds and who its IT contact is,
 * then each email at phone width (375 px), readable as they are, wrapping onto more rows as the window narrows.
 */
function departmentsTab(view: DocPreview, base: string, departments: readonly Department[]): string {
  const parts = view.parts!
  const editions: [string, Department | undefined][] = [
    ...departments.map((department): [string, Department] => [department.id, department]),
    [generalEdition, undefined],
  ]
  // What everyone gets is the general edition; each row names what its department gets on top of it.
  const general = new Set(editionContents(editionOf(parts, undefined)))
  const rows = editions.map(([value, department]) => {
    const contents = editionContents(editionOf(parts, department))
    const own = contents.filter((item) => !general.has(item))
    const contact = department?.contact
      ? `${e(department.contact.name)} &lt;${e(department.contact.email)}&gt;${department.contact.phone ? `, ${e(department.contact.phone)}` : ''}`
      : `<span class="muted">${department ? 'none named' : 'the helpdesk'}</span>`
    return `<tr id="edition-row-${e(value)}"><th scope="row">${e(department?.name ?? 'General edition')}</th><td data-label="IT contact">${contact}</td><td data-label="Written for it">${own.length > 0 ? e(own.join(' · ')) : '<span class="muted">nothing</span>'}</td><td data-label="Parts in all">${contents.length}</td></tr>`
  })
  const frames = editions.map(([value, department]) =>
    frame(
      `edition-${value}`,
      `${base}email.html?edition=${encodeURIComponent(value)}`,
      375,
      department ? `${department.name}${department.contact ? ` · ${department.contact.name}` : ''}` : 'General edition: people in no department',
    ),
  )
  return `<p>Every department\u2019s edition of this ${view.kind}, and the general edition, as each is sent.</p>
<div class="table-scroll"><table class="docs editions"><thead><tr><th>Edition</th><th>IT contact</th><th>Written for it (on top of what everyone gets)</th><th>Parts in all</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>
<div class="frames editions">
${frames.join('\n')}
</div>`
}

/**
 * Where the document stands with its approval, and (unless it is approved as it is) a field for the approver's name and
 * a button that approves it as `newsletter approve` does.
 */
function approvalBlock(view: DocPreview, base: string, token: string): string {
  const { approval } = view
  if (!approval) return ''
  const who = (by?: string, at?: string) => `${e(by ?? 'someone')}${at ? ` at ${e(at)}` : ''}`
  const state =
    approval.state === 'approved'
      ? `<p id="approval-state" class="ok">Approved by ${who(approval.by, approval.at)}</p>`
      : approval.state === 'changed'
        ? `<p id="approval-state" class="warn">Changed since it was approved by ${who(approval.by, approval.at)}: it needs a new approval before it goes out</p>`
        : `<p id="approval-state">Not approved yet: nothing of it is published or sent until it is</p>`
  const form =
    approval.state === 'approved'
      ? ''
      : `<form id="approve" class="action" data-output="approve-result" data-action="${e(base)}approve" data-token="${e(token)}"><label>Approve as <input name="by" type="text" size="24" autocomplete="name" placeholder="Your name"></label> <button type="submit">Approve</button><noscript>(needs JavaScript)</noscript></form>`
  return `<div id="approval">${state}${form}<output id="approve-result" for="approve" aria-live="polite"></output></div>`
}

/** One document: its email at two widths, inbox row, dark and unstyled views, text part, archive page, checks, source and a reader's copy; or its errors. */
export function docPage(view: DocPreview, readers: readonly Reader[], reader: number, options: PageOptions): string {
  const header = (extra = '') => `<header><p><a href="/">All issues and notices</a></p>
<h1>${e(view.title)} ${statusBadge(view)}</h1>
<p class="meta"><code>${e(view.path)}</code> · ${counts(view)}${view.email ? ` · ${sizeMeter(view.email.bytes)}` : ''}</p>
${extra}</header>`
  const checks = view.messages.length > 0 ? problemList(view, options) : '<p class="ok">No problems found.</p>'
  if (!view.email) {
    return shell(
      `Cannot preview: ${view.title}`,
      `${header()}
<main><section id="errors" class="errors"><h2>This ${view.kind} cannot be previewed yet</h2>
<p>Fix the first error below and save: this page reloads by itself.</p>
${checks}</section></main>`,
      view.key,
    )
  }
  const base = `/${view.key}/`
  const sample = readers[reader]!
  const departments = options.departments.length > 0
  // Every view of the email shows the picked edition: the frames ask for it too.
  const email = (query: Record<string, string> = {}) => {
    const params = new URLSearchParams({ ...query, ...(options.edition ? { edition: options.edition } : {}) }).toString()
    return `${base}email.html${params ? `?${params}` : ''}`
  }
  const sendForm = `<form id="send-test" class="action" data-output="send-result" data-action="${e(base)}send-test" data-token="${e(options.token)}"><label>Send a test to <input name="to" type="text" size="40" value="${e(options.testTo.join(', '))}" placeholder="you@example.com, a colleague@example.com"></label> <button type="submit">Send test</button>
<noscript>(needs JavaScript)</noscript><output id="send-result" aria-live="polite"></output></form>
${approvalBlock(view, base, options.token)}${departments ? editionPicker(base, options, reader) : ''}`
  const readerOptions = readers
    .map(
      (row, i) =>
        `<option value="${i}"${i === reader ? ' selected' : ''}>${e(row.name ? `${row.name} <${row.email ?? ''}>` : (row.email ?? `row ${i + 1}`))}</option>`,
    )
    .join('')
  const missing = missingFields(`${view.email.subject}\n${view.email.text}`, sample)
  const shownTabs = tabs.filter(([id]) => departments || id !== 'departments')
  const body = `${header(sendForm)}
<nav class="tabs" role="tablist">${shownTabs.map(([id, label]) => `<a role="tab" href="#${id}" data-tab="${id}">${label}</a>`).join('')}</nav>
<main>
<section id="tab-email" class="tab"><div class="frames side-by-side">
${frame('desktop', email(), 600, 'Desktop, 600 px')}
${frame('phone', email(), 375, 'Phone, 375 px')}
</div></section>
<section id="tab-inbox" class="tab">${inboxTab(options.from, personalize(view.email.subject, sample), personalize(view.email.html, sample, escapeHtml), view.date ?? '')}</section>
<section id="tab-dark" class="tab"><div class="frames">
${frame('dark-frame', email({ scheme: 'dark' }), 600, 'The email\u2019s own dark-mode styles (prefers-color-scheme: dark)')}
${frame('inverted', email({ scheme: 'invert' }), 600, 'Forced inversion, as Outlook and Gmail apps do it', 'inverted')}
${frame('unstyled', email({ scheme: 'unstyled' }), 600, 'No <style> blocks, as Gmail with other accounts and some Outlook apps show it')}
</div></section>
<section id="tab-text" class="tab"><h2>Subject: ${e(view.email.subject)}</h2><pre id="text-part" class="text">${e(view.email.text)}</pre></section>
<section id="tab-archive" class="tab"><div class="frames">${frame('archive-frame', `${base}archive.html`, 1000, 'Archive page')}</div></section>
<section id="tab-checks" class="tab"><h2>Checks</h2><p>${sizeMeter(view.email.bytes)}</p>${checks}</section>
<section id="tab-source" class="tab">${sourceTab(email(), view.email)}</section>
<section id="tab-reader" class="tab">
<form method="get" action="${e(base)}"><label>Reader <select name="reader" id="reader-select" data-param="reader">${readerOptions}</select></label>${options.edition ? `<input type="hidden" name="edition" value="${e(options.edition)}">` : ''} <noscript><button>Show</button></noscript></form>
<h2>Subject: <span id="reader-subject">${e(personalize(view.email.subject, sample))}</span></h2>
${missing.length > 0 ? `<p class="warn">No value for this reader: ${missing.map((name) => `<code>{{${e(name)}}}</code>`).join(', ')}</p>` : ''}
<div class="frames">
${frame('reader-frame', email({ reader: String(reader) }), 600, `As ${sample.name ?? sample.email ?? 'this reader'} gets it`)}
<pre class="text">${e(personalize(view.email.text, sample))}</pre>
</div></section>
${departments ? `<section id="tab-departments" class="tab">${departmentsTab(view, base, options.departments)}</section>` : ''}
</main>`
  return shell(`Preview: ${view.title}`, body, view.key)
}

/** A page for an address the preview does not know. */
export function notFoundPage(what: string): string {
  return shell('Not found', `<header><p><a href="/">All issues and notices</a></p><h1>Not found</h1><p>${e(what)}</p></header>`)
}
