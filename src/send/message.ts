import { createHash } from 'node:crypto'
import type Mail from 'nodemailer/lib/mailer'
import type { Settings } from '../config.ts'
import type { EmailArtifact } from '../email/build-email.ts'
import { compileTemplate, escapeHtml, fillTemplate, fillTemplateBytes, type Template } from '../email/personalize.ts'
import type { Recipient } from './recipients.ts'

/** The address inside a `Name <address>` sender. */
export function senderAddress(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim()
}

/** The Message-ID of (slug, recipient): the same on every attempt, so a duplicate carries the same ID. */
export function messageId(slug: string, key: string, domain: string): string {
  const hash = createHash('sha256').update(`${slug}\0${key}`).digest('hex').slice(0, 32)
  return `<${slug}.${hash}@${domain}>`
}

/** What varies per send: test sends get `[TEST] ` and are told apart in the Message-ID. */
export interface MessageOptions {
  test?: boolean
}

/**
 * Split the rendered email into templates once, and return a function that makes each recipient's
 * message by filling in their `{{fields}}` (HTML-escaped in the HTML part). No MJML per recipient.
 */
export function prepareMessages(email: EmailArtifact, settings: Settings, options: MessageOptions = {}): (recipient: Recipient) => Mail.Options {
  const send = settings.send ?? {}
  const address = senderAddress(settings.from)
  const domain = address.slice(address.lastIndexOf('@') + 1)
  const subject = compileTemplate(`${options.test ? '[TEST] ' : ''}${email.subject}`)
  const html = compileTemplate(email.html)
  const text = compileTemplate(email.text)
  const unsubscribe: Template | undefined = send.unsubscribe_url ? compileTemplate(send.unsubscribe_url) : undefined
  const listId = parseListId(send.list_id ?? `${settings.organisation} <${address.replace('@', '.')}>`)
  const slug = options.test ? `${email.slug}.test` : email.slug
  return (recipient) => {
    const list: Mail.ListHeaders = { id: listId }
    const headers: Mail.Headers = {}
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
      messageId: messageId(slug, recipient.key, domain),
      headers,
      text: fillTemplateBytes(text, recipient.fields),
      html: fillTemplateBytes(html, recipient.fields, escapeHtml),
    }
  }
}

/** `Name <id.example.com>` → what nodemailer's `list.id` wants (it encodes a non-ASCII name). */
function parseListId(value: string): { url: string; comment?: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value)
  if (!match) return { url: value.trim() }
  return match[1] ? { url: match[2]!, comment: match[1] } : { url: match[2]! }
}
