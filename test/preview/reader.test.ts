import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { escapeHtml } from '../../src/email/personalize.ts'
import { loadReaders, missingFields, personalize, sampleReader } from '../../src/preview/reader.ts'
import { applyScheme } from '../../src/preview/scheme.ts'

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

  it('names the line of a broken CSV and a missing email column', async () => {
    const ragged = join(dir, 'ragged.csv')
    await writeFile(ragged, 'email,name\nana@example.com,Ana\nbo@example.com,Bo,extra\n')
    await expect(loadReaders(ragged)).rejects.toMatchObject({ where: { file: ragged, line: 3, column: 1 } })
    const noEmail = join(dir, 'no-email.csv')
    await writeFile(noEmail, 'name\nAna\n')
    await expect(loadReaders(noEmail)).rejects.toMatchObject({ message: 'The recipients file has no `email` column', where: { line: 1 } })
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
