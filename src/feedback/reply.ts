import { simpleParser } from 'mailparser'
import type { RawMessage } from './mailbox.ts'

/** One reply as the count needs it. The sender's address stays in memory: it is hashed, never written or printed. */
export interface Reply {
  source: string
  subject: string
  /** Lower-cased address of whoever answered: for a forwarded reply, the person whose reply was forwarded. */
  sender?: string
  /** When they answered (the Date header; a forwarded reply's own date when it gives one). */
  date?: Date
  messageId?: string
  /** What they wrote besides the tap: quoted text, signatures and addresses taken out; empty when nothing. */
  comment: string
}

/** Read one message: mailparser decodes the MIME (quoted-printable, base64, RFC 2047 subjects, folded headers, charsets). */
export async function readReply(message: RawMessage): Promise<Reply> {
  const mail = await simpleParser(message.raw, { skipImageLinks: true, skipTextToHtml: true })
  const text = (mail.text ?? '').replace(/\r\n?/g, '\n')
  const subject = mail.subject ?? ''
  // Only a forward carries someone else's reply; "-----Original Message-----" under a reply is quoted text.
  const forwarded = forwardPrefix.test(subject) ? forwardedPart(text) : undefined
  const sender = forwarded?.sender ?? mail.from?.value[0]?.address?.toLowerCase()
  return {
    source: message.source,
    subject,
    sender,
    date: forwarded?.date ?? mail.date,
    messageId: mail.messageId,
    comment: commentOf(forwarded ? forwarded.body : text),
  }
}

// "Fwd:", "FW:" (Outlook), "WG:" (German), "VB:" (Swedish), "TR:" (French), after any tag or "RE:" in front.
const forwardPrefix = /^\s*(?:(?:\[[^\]]*\]|re|aw|sv)\s*:?\s*)*(?:fwd?|wg|vb|vs|tr)\s*:/i

// The header block a mail client writes above a forwarded message: Gmail's "---------- Forwarded message ---------",
// Outlook's "From: … Sent: …", Apple Mail's "Begin forwarded message:", in English, German and Swedish.
const forwardMarker =
  /^(?:-{2,}\s*(?:Forwarded message|Weitergeleitete Nachricht|Vidarebefordrat meddelande)\s*-{2,}|Begin forwarded message:|-{2,}\s*Original Message\s*-{2,})\s*$/im
const headerLine = /^\s*(From|Von|Från|De|Date|Sent|Gesendet|Datum|Skickat|To|An|Till|Cc|Subject|Betreff|Ämne|Objet)\s*:\s*(.*)$/i

/** The reply inside a forwarded message: who wrote it, when, and its text; absent when the message forwards nothing. */
function forwardedPart(text: string): { sender?: string; date?: Date; body: string } | undefined {
  const marker = forwardMarker.exec(text)
  if (!marker) return undefined
  const lines = text.slice(marker.index + marker[0].length).split('\n')
  let i = 0
  while (i < lines.length && lines[i]!.trim() === '') i++
  const headers = new Map<string, string>()
  for (; i < lines.length && headerLine.test(lines[i]!); i++) {
    const [, name, value] = headerLine.exec(lines[i]!)!
    headers.set(name!.toLowerCase(), value!)
  }
  const from = headers.get('from') ?? headers.get('von') ?? headers.get('från') ?? headers.get('de')
  const address = from ? /<?([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+?)>?\s*$/.exec(from.replace(/\[mailto:[^\]]*\]/, ''))?.[1] : undefined
  const when = headers.get('date') ?? headers.get('sent') ?? headers.get('datum') ?? headers.get('gesendet') ?? headers.get('skickat')
  const date = when && !Number.isNaN(Date.parse(when)) ? new Date(when) : undefined
  return { sender: address?.toLowerCase(), date, body: lines.slice(i).join('\n') }
}

// Where quoted text starts: "On … wrote:" (perhaps over two lines), its German, French and Swedish forms, Outlook's
// "-----Original Message-----" and its header block, a line of underscores.
const quoteStart = [
  /^On .{0,200}(?:\n.{0,80})?wrote:\s*$/m,
  /^Am .{0,200}(?:\n.{0,80})?schrieb.{0,80}:\s*$/m,
  /^Le .{0,200}(?:\n.{0,80})?a écrit\s*:\s*$/m,
  /^Den .{0,200}(?:\n.{0,80})?skrev.{0,80}:\s*$/m,
  /^-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Ursprungligt meddelande)\s*-{2,}\s*$/im,
  /^_{10,}\s*$/m,
  /^(?:From|Von|Från|De)\s*:.*\n(?:(?:Sent|Gesendet|Skickat|Envoyé|Date|Datum)\s*:)/m,
]

// Where a signature starts: the "-- " line (RFC 3676 §4.3), a phone's "Sent from", or a sign-off on a line of its own.
const signatureStart = [
  /^-- ?$/m,
  /^(?:Sent from|Get Outlook for|Von meinem|Skickat från|Envoyé de) .*$/im,
  /^(?:(?:kind|best|warm|many)(?: regards| wishes)?|regards|thanks|thank you|many thanks|cheers|br|mvh|mit freundlichen grüßen|viele grüße|grüße|med vänlig hälsning|vänliga hälsningar|hälsningar|cordialement)[,.!]?\s*$/im,
]

/** What someone wrote in a reply, without the quoted message, the signature, or any address. */
export function commentOf(text: string): string {
  let body = text.replace(/\r\n?/g, '\n')
  for (const pattern of [...quoteStart, ...signatureStart]) {
    const found = pattern.exec(body)
    if (found) body = body.slice(0, found.index)
  }
  return (
    body
      .split('\n')
      .filter((line) => !line.startsWith('>'))
      .join('\n')
      .replace(/[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+\.[a-z]{2,}/gi, '[address]')
      .replace(/mailto:\S*/gi, '[address]')
      // A control character would drive the terminal of whoever reads the comments file.
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  )
}
