import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { escapeHtml } from '../../src/email/personalize.ts'
import { loadReaders, missingFields, personalize, sampleReader } from '../../src/preview/reader.ts'
import { applyScheme } from '../../src/preview/scheme.ts'
import { readRecipients } from '../../src/send/recipients.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsletter-readers-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('sample readers', () => {
  it('takes the rows of a recipients CSV, or the built-in sample', async () => {
    const csv = join(dir, 'ok.csv')
    await writeFile(csv, 'email,name,department\nana@example.com,Ana Lima,Finance\nbo@example.com,Bo,Ops\n')
    await expect(loadReaders(csv)).resolves.toEqual([
      { email: 'ana@example.com', name: 'Ana Lima', department: 'Finance' },
      { email: 'bo@example.com', name: 'Bo', department: 'Ops' },
    ])
    await expect(loadReaders(undefined)).resolves.toEqual([sampleReader])
  })

  it('reads an `Email` header, and a file as Excel saves it (BOM, CRLF, semicolons), into the rows the send reads', async () => {
    const capital = join(dir, 'capital.csv')
    await writeFile(capital, 'Email,name\nana@example.com,Ana Lima\n')
    await expect(loadReaders(capital)).resolves.toEqual([{ Email: 'ana@example.com', email: 'ana@example.com', name: 'Ana Lima' }])
    const excel = join(dir, 'excel.csv')
    const text = 'Name;Email;Department\r\n"Müller; José";jm@example.com;Finanzen\r\nBo;BO@example.com;IT\r\nBo again;bo@example.com;IT\r\n'
    await writeFile(excel, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))
    const readers = await loadReaders(excel)
    expect(readers).toEqual([
      { Name: 'Müller; José', Email: 'jm@example.com', email: 'jm@example.com', Department: 'Finanzen' },
      { Name: 'Bo', Email: 'BO@example.com', email: 'BO@example.com', Department: 'IT' },
    ])
    expect(readers).toEqual((await readRecipients(excel)).recipients.map((recipient) => recipient.fields))
  })

  it('offers only the first 50 rows', async () => {
    const long = join(dir, 'long.csv')
    await writeFile(long, `email\n${Array.from({ length: 60 }, (_, i) => `r${i + 1}@example.com`).join('\n')}\n"broken\n`)
    const readers = await loadReaders(long)
    expect(readers.map((reader) => reader.email)).toEqual(Array.from({ length: 50 }, (_, i) => `r${i + 1}@example.com`))
  })

  it('refuses a file the send would refuse, listing every bad row at its line and column', async () => {
    const ragged = join(dir, 'ragged.csv')
    await writeFile(ragged, 'email,name\nana@example.com,Ana\nbo@example.com,Bo,extra\ncy@@example.com,"Cy\n')
    await expect(loadReaders(ragged)).rejects.toMatchObject({
      message: [
        'The recipients file cannot give sample readers; the send would refuse it too:',
        `${ragged}:3:19: error: Row has 3 fields but the header has 2 (recipients/columns)`,
        '  Remove the extra field, or wrap a value containing the separator in quotes',
        `${ragged}:4:17: error: The CSV cannot be read: the quote that opens this field is never closed (recipients/csv)`,
        '  Close the quote on this line, or remove it. A field with a comma or quote is wrapped in quotes, with each quote inside it written twice: "Ann ""Annie"" Lee"',
      ].join('\n'),
    })
    const noEmail = join(dir, 'no-email.csv')
    await writeFile(noEmail, 'name\nAna\n')
    await expect(loadReaders(noEmail)).rejects.toMatchObject({
      message: expect.stringContaining(`${noEmail}:1:1: error: The header has no \`email\` column (found: name) (recipients/header)`),
    })
  })

  it('fills {{fields}} as the send does: escaped for HTML, fallbacks for missing or empty values', () => {
    const reader = { name: 'Ana <Finance>', email: 'ana@example.com', site: '' }
    expect(personalize('<p>Hi {{ name }}, {{team}}.</p>', reader, escapeHtml)).toBe('<p>Hi Ana &#60;Finance&#62;, .</p>')
    expect(personalize('Hi {{name}} at {{site|head office}} in {{team | IT}}', reader)).toBe('Hi Ana <Finance> at head office in IT')
    expect(missingFields('{{name}} {{team}} {{team|x}} {{site}}', reader)).toEqual(['team', 'site'])
  })
})

describe('color schemes', () => {
  const html =
    '<html><head><style>@media screen and (prefers-color-scheme: dark) { body { color: white } } @media (prefers-color-scheme:light) { body { color: black } }</style></head><body><img src="a.png"></body></html>'
  it('turns the email\u2019s dark queries on and its light queries off', () => {
    const dark = applyScheme(html, 'dark')
    expect(dark).toContain('@media screen and (min-width: 0px) { body { color: white } }')
    expect(dark).toContain('@media (max-width: -1px) { body { color: black } }')
    expect(dark).toContain('<style>:root { color-scheme: dark; }</style></head>')
  })
  it('re-inverts images for the forced-inversion frame and leaves light alone', () => {
    expect(applyScheme(html, 'invert')).toContain('<style>img { filter: invert(1) hue-rotate(180deg); }</style></head>')
    expect(applyScheme(html, 'light')).toBe(html)
  })
})
