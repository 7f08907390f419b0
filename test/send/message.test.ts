import { simpleParser } from 'mailparser'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer'
import { describe, expect, it } from 'vitest'
import type { EmailArtifact } from '../../src/email/build-email.ts'
import { prepareMessages } from '../../src/send/message.ts'
import { testSettings } from '../helpers/render.ts'

// Real nodemailer, writing each message out instead of sending it.
const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true })

async function mime(message: Mail.Options): Promise<string> {
  return ((await transporter.sendMail(message)).message as Buffer).toString()
}

/** The Content-Transfer-Encoding of the text/plain and text/html parts of a message, in that order. */
function encodings(source: string): string[] {
  return [...source.matchAll(/Content-Type: text\/(?:plain|html); charset=utf-8\r\nContent-Transfer-Encoding: ([\w-]+)/g)].map((match) => match[1]!)
}

function artifact(html: string, text: string): EmailArtifact {
  return { kind: 'issue', slug: '2026-11', subject: 'November', html, text, bytes: Buffer.byteLength(html), mjml: '' }
}

const bodies = {
  latin: 'Windows restarts on Tuesday night: save your work by 18:00. Café and naïve are still mostly Latin letters.',
  cyrillic: 'Перезагрузка Windows во вторник вечером: сохраните работу до 18:00.',
  japanese: '火曜日の夜にWindowsが再起動します。18時までに作業を保存してください。',
}

describe('each recipient’s message', () => {
  it.each(Object.entries(bodies))('%s: encodes each part as nodemailer would choose, and every filled copy reads back intact', async (_, body) => {
    const html = `<html><body><p>Hello {{name}},</p><p>${body}</p></body></html>`
    const text = `Hello {{name}},\n\n${body}\n`
    const prepared = prepareMessages(artifact(html, text), testSettings())
    const recipient = { email: 'jose@example.com', key: 'jose@example.com', fields: { name: 'José Ünal' } }
    const message = prepared.message(recipient)
    const ours = await mime(message)
    // nodemailer left to choose, on the same filled parts.
    const chosen = await mime({ ...message, text: (message.text as Mail.Attachment).content, html: (message.html as Mail.Attachment).content })
    expect(encodings(ours)).toHaveLength(2)
    expect(encodings(ours)).toEqual(encodings(chosen))
    const parsed = await simpleParser(ours)
    expect(parsed.text).toBe(`Hello José Ünal,\n\n${body}\n`)
    expect(parsed.html).toBe(`<html><body><p>Hello José Ünal,</p><p>${body}</p></body></html>`)
  })

  it('uses base64 for a part that is mostly not Latin letters and quoted-printable for one that is', async () => {
    const prepared = prepareMessages(artifact(`<p>${bodies.latin}</p>`, bodies.japanese), testSettings())
    const message = prepared.message({ email: 'ann@example.com', key: 'ann@example.com', fields: {} })
    expect(encodings(await mime(message))).toEqual(['base64', 'quoted-printable'])
  })
})
