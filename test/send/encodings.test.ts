import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runSend } from '../../src/commands/send.ts'
import { collect, scaffold } from './helpers.ts'

const { project, sink } = scaffold({
  send: '  retry_delay: 10\n  require_tls: false\n',
  edit: (text) => text.replace('## Faster help on the phone', 'Hello {{name}} in {{department}}.\n\n## Faster help on the phone'),
})

const name = 'José Müller'
const department = 'Département Ü'

function utf16(text: string, order: 'le' | 'be'): Buffer {
  const bytes = Buffer.from(text, 'utf16le')
  if (order === 'be') bytes.swap16()
  return Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), bytes])
}

// Every recipients file as spreadsheets save it: the same person, mailed and read back with mailparser.
const files: { label: string; bytes: (text: string) => Buffer; separator: string; warning?: RegExp }[] = [
  { label: 'UTF-8, comma', bytes: (text) => Buffer.from(text), separator: ',' },
  { label: 'UTF-8 with BOM, CRLF (Excel "CSV UTF-8")', bytes: (text) => Buffer.from(`\uFEFF${text.replace(/\n/g, '\r\n')}`), separator: ',' },
  { label: 'UTF-8, semicolon (Excel in much of Europe)', bytes: (text) => Buffer.from(text), separator: ';' },
  { label: 'UTF-16LE with BOM, tab (Excel "Unicode text")', bytes: (text) => utf16(text.replace(/\n/g, '\r\n'), 'le'), separator: '\t' },
  { label: 'UTF-16BE with BOM, comma', bytes: (text) => utf16(text, 'be'), separator: ',' },
  {
    label: 'Windows-1252, semicolon (Excel "CSV" on Windows)',
    bytes: (text) => Buffer.from(text, 'latin1'),
    separator: ';',
    warning: /staff\.csv:1:1: warning: The file is not valid UTF-8: read it as Windows-1252 .*\(recipients\/encoding\)/,
  },
]

describe('recipient files as people have them', () => {
  it.each(files)('$label: the name arrives intact', async ({ bytes, separator, warning }) => {
    const root = await project()
    const server = await sink()
    const text =
      [
        ['email', 'name', 'department'],
        ['jose@example.com', name, department],
      ]
        .map((row) => row.join(separator))
        .join('\n') + '\n'
    await writeFile(join(root, 'staff.csv'), bytes(text))
    const io = collect()
    const code = await runSend({ yes: true, recipients: join(root, 'staff.csv') }, ['2026-11'], io, {
      root,
      env: { SMTP_URL: `smtp://127.0.0.1:${server.port}` },
      tty: false,
      progressEvery: 60_000,
    })
    expect(code).toBe(0)
    if (warning) expect(io.stderr).toMatch(warning)
    else expect(io.stderr).toBe('')
    const [message] = server.messages
    expect(message!.to && !Array.isArray(message!.to) ? message!.to.value[0] : undefined).toEqual({ name, address: 'jose@example.com' })
    expect(message!.text).toContain(`Hello ${name} in ${department}.`)
    expect(message!.html).toContain(`Hello ${name} in ${department}.`)
  })
})
