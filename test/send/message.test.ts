import { simpleParser } from 'mailparser'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer'
import { describe, expect, it } from 'vitest'
import type { EmailArtifact } from '../../src/email/build-email.ts'
import { prepareMessages } from '../../src/send/message.ts'
import { testSettings } from '../helpers/render.ts'

// Real nodemailer, writing each message out as it would go over SMTP (CRLF) instead of sending it.
const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true })

async function mime(message: Mail.Options): Promise<string> {
  return ((await transporter.sendMail(message)).message as Buffer).toString('latin1')
}

/** The text/plain and text/html parts of a message, in that order: their Content-Transfer-Encoding and body as sent. */
function parts(source: string): { encoding: string; body: string }[] {
  return [...source.matchAll(/Content-Type: text\/(?:plain|html); charset=utf-8\r\nContent-Transfer-Encoding: ([\w-]+)\r\n\r\n([\s\S]*?)\r\n--/g)].map(
    (match) => ({ encoding: match[1]!, body: match[2]! }),
  )
}

function artifact(html: string, text: string): EmailArtifact {
  return { kind: 'issue', slug: '2026-11', subject: 'November', html, text, bytes: Buffer.byteLength(html), mjml: '' }
}

function recipient(fields: Record<string, string>) {
  return { email: 'jose@example.com', key: 'jose@example.com', fields }
}

const bodies = {
  latin: 'Windows restarts on Tuesday night: save your work by 18:00. Café and naïve are still mostly Latin letters.',
  cyrillic: 'Перезагрузка Windows во вторник вечером: сохраните работу до 18:00.',
  japanese: '火曜日の夜にWindowsが再起動します。18時までに作業を保存してください。',
}

describe('each recipient’s message', () => {
  it.each(Object.entries(bodies))('%s: encodes each part as nodemailer would choose, and the filled copy reads back intact', async (_, body) => {
    const html = `<html><body><p>Hello {{name}},</p><p>${body}</p></body></html>`
    const text = `Hello {{name}},\n\n${body}\n`
    const ours = await mime(prepareMessages(artifact(html, text), testSettings()).message(recipient({ name: 'José Ünal' })))
    const parsed = await simpleParser(ours)
    expect(parsed.text).toBe(`Hello José Ünal,\n\n${body}\n`)
    expect(parsed.html).toBe(`<html><body><p>Hello José Ünal,</p><p>${body}</p></body></html>`)
    // nodemailer left to choose, on the same filled parts.
    const chosen = await mime({ from: 'it@example.com', to: 'jose@example.com', text: Buffer.from(parsed.text!), html: Buffer.from(parsed.html as string) })
    expect(parts(ours).map((part) => part.encoding)).toEqual(parts(chosen).map((part) => part.encoding))
    expect(parts(ours)).toHaveLength(2)
  })

  it('uses base64 for a part that is mostly not Latin letters and quoted-printable for one that is', async () => {
    const prepared = prepareMessages(artifact(`<p>${bodies.latin}</p>`, bodies.japanese), testSettings())
    expect(parts(await mime(prepared.message(recipient({})))).map((part) => part.encoding)).toEqual(['base64', 'quoted-printable'])
  })

  it('encodes quoted-printable pieces once and values per copy into lines of at most 76 characters, which decode to the filled text', async () => {
    // Slots at the very start and end, next to line breaks and trailing spaces, inside a line far past 76 characters.
    const long = 'x'.repeat(90)
    const text = `{{name}} \nTrailing spaces   \n${long}{{name}}${long}\n= signs and {{department|nobody}}.\n{{name}}`
    const html = `<p>{{name}}</p>\n<p title="{{department}}">${long} {{name}} ${long}</p>`
    const prepared = prepareMessages(artifact(html, text), testSettings())
    const values = [
      { name: 'Ann', department: '' },
      { name: `A=B ${'Ü'.repeat(60)} `, department: 'R&D <"Labs">' },
      { name: 'y'.repeat(200), department: '=3D\r\nnot a line' },
    ]
    for (const fields of values) {
      const ours = await mime(prepared.message(recipient(fields)))
      const sent = parts(ours)
      expect(sent.map((part) => part.encoding)).toEqual(['quoted-printable', 'quoted-printable'])
      for (const { body } of sent) {
        expect(body.split('\r\n').filter((line) => line.length > 76)).toEqual([])
        expect(body).not.toMatch(/[^\r]\n|\r[^\n]/)
      }
      const parsed = await simpleParser(ours)
      const department = fields.department.replace(/\r\n/g, '\n')
      expect(parsed.text).toBe(`${fields.name} \nTrailing spaces   \n${long}${fields.name}${long}\n= signs and ${department || 'nobody'}.\n${fields.name}`)
      const escaped = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
      expect(parsed.html).toBe(`<p>${escaped(fields.name)}</p>\n<p title="${escaped(department)}">${long} ${escaped(fields.name)} ${long}</p>`)
    }
  })
})
