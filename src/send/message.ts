import type Mail from 'nodemailer/lib/mailer'
import { encode as encodeQuotedPrintable, wrap as wrapQuotedPrintable } from 'nodemailer/lib/qp'
import type { Settings } from '../config.ts'
import type { EmailArtifact } from '../email/build-email.ts'
import {
  compileTemplate,
  escapeHtml,
  fillTemplate,
  fillTemplateBytes,
  fillValues,
  isSafeLink,
  linkTemplates,
  restoreEncodedSlots,
  type Template,
} from '../email/personalize.ts'
import type { Recipient } from './recipients.ts'
import { revisionMessageId, threadHeaders } from './threading.ts'

/** The address inside a `Name <address>` sender. */
export function senderAddress(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim()
}

/** What varies per send: test sends get `[TEST] ` and are told apart in the Message-ID. */
export interface MessageOptions {
  test?: boolean
  /** Which revision of a notice this is (default 1): later ones thread under the first. */
  revision?: number
  /** A calendar invite to attach (planned maintenance). */
  calendar?: Mail.Options['icalEvent']
}

/** Each recipient's message, and the check that their fields make no link unsafe. */
export interface PreparedMessages {
  /** The message for one recipient, ready for the transport. */
  message(recipient: Recipient): Mail.Options
  /** A link this recipient's fields would make unsafe (not https:, http: or mailto:), with the fields in it. */
  unsafeLink(recipient: Recipient): { url: string; fields: string[] } | undefined
}

/**
 * Split the rendered email into templates once; each recipient's message fills in their `{{fields}}`
 * (HTML-escaped in the HTML part, percent-encoded in links). No MJML per recipient.
 */
export function prepareMessages(email: EmailArtifact, settings: Settings, options: MessageOptions = {}): PreparedMessages {
  const send = settings.send ?? {}
  const address = senderAddress(settings.from)
  const domain = address.slice(address.lastIndexOf('@') + 1)
  const subject = compileTemplate(`${options.test ? '[TEST] ' : ''}${email.subject}`)
  const htmlSource = restoreEncodedSlots(email.html)
  const html = compileTemplate(htmlSource, { html: true })
  const links = linkTemplates(htmlSource)
  const text = compileTemplate(email.text)
  const htmlPart = prepareTextPart(html, htmlSource, 'text/html', escapeHtml)
  const textPart = prepareTextPart(text, email.text, 'text/plain')
  const unsubscribe: Template | undefined = send.unsubscribe_url ? compileTemplate(send.unsubscribe_url) : undefined
  const listId = parseListId(send.list_id ?? `${settings.organisation} <${address.replace('@', '.')}>`)
  const slug = options.test ? `${email.slug}.test` : email.slug
  const revision = options.revision ?? 1
  const message = (recipient: Recipient): Mail.Options => {
    const list: Mail.ListHeaders = { id: listId }
    // Bulk mail to the whole company: out-of-office and other automatic replies should not flood IT's mailbox
    // (X-Auto-Response-Suppress is Exchange's, MS-OXCMAIL §2.2.3.2.20; Precedence: bulk is read by most others).
    // A test send is a person checking the draft: it stays an ordinary message.
    const headers: Mail.Headers = options.test ? {} : { 'X-Auto-Response-Suppress': 'OOF, AutoReply', Precedence: 'bulk' }
    if (unsubscribe) {
      const url = fillTemplate(unsubscribe, recipient.fields, encodeURIComponent)
      list.unsubscribe = { url }
      // RFC 8058 one-click unsubscribe only works for https URLs.
      if (url.startsWith('https:')) headers['List-Unsubscribe-Post'] = { prepared: true, value: 'List-Unsubscribe=One-Click' }
    }
    return {
      list,
      from: settings.from,
      replyTo: settings.reply_to,
      to: { name: recipient.fields.name ?? '', address: recipient.email },
      subject: fillTemplate(subject, recipient.fields),
      date: new Date(),
      messageId: revisionMessageId(slug, revision, recipient.key, domain),
      headers: { ...headers, ...threadHeaders(slug, revision, recipient.key, domain) },
      icalEvent: options.calendar,
      text: textPart(recipient.fields),
      html: htmlPart(recipient.fields),
    }
  }
  const unsafeLink = (recipient: Recipient) => {
    for (const link of links) {
      const url = fillTemplate(link, recipient.fields)
      if (!isSafeLink(url)) return { url, fields: [...new Set(link.slots.map((slot) => slot.field))] }
    }
    return undefined
  }
  return { message, unsafeLink }
}

/**
 * Each recipient's copy of a text part, with its Content-Transfer-Encoding chosen once per send (left to nodemailer,
 * the choice is made for every copy, scanning the whole part twice). A quoted-printable part is also encoded once:
 * its literal pieces are encoded here and each copy encodes only the recipient's values (see prepareQuotedPrintable).
 */
function prepareTextPart(
  template: Template,
  source: string,
  type: 'text/html' | 'text/plain',
  escape?: (value: string) => string,
): (fields: Readonly<Record<string, string>>) => Mail.Attachment {
  if (transferEncodingOf(source) === 'quoted-printable') return prepareQuotedPrintable(template, `${type}; charset=utf-8`, escape)
  // mail-composer reads `contentTransferEncoding` on `html` and `text` as on an attachment.
  return (fields) => ({ content: fillTemplateBytes(template, fields, escape), contentTransferEncoding: 'base64' })
}

// Ends one encoded piece where the next begins, on a line of its own if need be (RFC 2045 §6.7, rule 5).
const softBreak = Buffer.from('=\r\n')

/**
 * A quoted-printable part whose literal pieces are encoded once. Pieces and values are encoded apart, each wrapped to
 * 75 characters a line and joined by a soft line break, so no line passes RFC 2045's 76 whatever a value holds; line
 * breaks are CRLF, which SMTP needs (nodemailer would otherwise insert each CR in every copy). The part goes to
 * nodemailer as `raw`: its headers and its body, as nodemailer writes them.
 */
function prepareQuotedPrintable(
  template: Template,
  contentType: string,
  escape?: (value: string) => string,
): (fields: Readonly<Record<string, string>>) => Mail.Attachment {
  const head = Buffer.from(`Content-Type: ${contentType}\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`)
  const encodePiece = (text: string) => Buffer.from(wrapQuotedPrintable(encodeQuotedPrintable(text.replace(/\r?\n/g, '\r\n')), 75), 'latin1')
  const pieces = template.pieces.map(encodePiece)
  return (fields) => {
    const parts: Buffer[] = [head]
    const add = (piece: Buffer) => {
      if (piece.length === 0) return
      if (parts.length > 1) parts.push(softBreak)
      parts.push(piece)
    }
    add(pieces[0]!)
    fillValues(template, fields, escape).forEach((value, i) => {
      add(encodePiece(value))
      add(pieces[i + 1]!)
    })
    return { raw: Buffer.concat(parts) }
  }
}

type TransferEncoding = 'quoted-printable' | 'base64'

/**
 * nodemailer's choice for a text part given as a Buffer (mime-node `_getTextEncoding`), made once on the template
 * instead of on every filled copy: quoted-printable when Latin letters outnumber control and non-ASCII characters,
 * else base64. Either carries any text; the choice only keeps the part small.
 */
function transferEncodingOf(source: string): TransferEncoding {
  let latin = 0
  let other = 0
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i)
    if (code <= 0x08 || code === 0x0b || code === 0x0c || (code >= 0x0e && code <= 0x1f) || code >= 0x80) other++
    else if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin++
  }
  return other < latin ? 'quoted-printable' : 'base64'
}

/** `Name <id.example.com>` → what nodemailer's `list.id` wants (it encodes a non-ASCII name). */
function parseListId(value: string): { url: string; comment?: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value)
  if (!match) return { url: value.trim() }
  return match[1] ? { url: match[2]!, comment: match[1] } : { url: match[2]! }
}
