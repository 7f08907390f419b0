import { describe, expect, it } from 'vitest'
import { decodeCsv, detectSeparator, readCsv, type CsvRecord } from '../../src/content/csv.ts'
import { NewsletterError } from '../../src/errors.ts'

const name = 'José Müller'

function utf16(text: string, order: 'le' | 'be'): Buffer {
  const le = Buffer.from(text, 'utf16le')
  if (order === 'be') le.swap16()
  return Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), le])
}

function records(text: string): CsvRecord[] {
  const all: CsvRecord[] = []
  readCsv('r.csv', text, (record) => all.push(record))
  return all
}

function failure(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (!(error instanceof NewsletterError)) throw error
    return `${error.where?.file}:${error.where?.line}:${error.where?.column}: ${error.message}`
  }
  throw new Error('expected a NewsletterError')
}

describe('decodeCsv', () => {
  it('reads UTF-8 with and without a BOM, and UTF-16 with a BOM in either byte order', () => {
    const text = `email,name\nj@example.com,${name}\n`
    expect(decodeCsv(Buffer.from(text))).toEqual({ text, encoding: 'UTF-8' })
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ text, encoding: 'UTF-8' })
    expect(decodeCsv(utf16(text, 'le'))).toEqual({ text, encoding: 'UTF-16LE' })
    expect(decodeCsv(utf16(text, 'be'))).toEqual({ text, encoding: 'UTF-16BE' })
  })

  it('recognises UTF-16 without a BOM by its NUL bytes, and says it guessed', () => {
    const text = `email,name\nj@example.com,${name}\n`
    expect(decodeCsv(utf16(text, 'le').subarray(2))).toMatchObject({ text, encoding: 'UTF-16LE', warning: expect.stringMatching(/^The file has no byte order mark: read it as UTF-16LE/) })
    expect(decodeCsv(utf16(text, 'be').subarray(2))).toMatchObject({ text, encoding: 'UTF-16BE', warning: expect.stringMatching(/^The file has no byte order mark: read it as UTF-16BE/) })
  })

  it('falls back to Windows-1252 when the bytes are not UTF-8, and says it guessed', () => {
    // é = 0xE9, ü = 0xFC, € = 0x80 in Windows-1252: none of them starts a valid UTF-8 sequence here.
    const bytes = Buffer.from([...Buffer.from('email,name\nj@example.com,Jos'), 0xe9, ...Buffer.from(' M'), 0xfc, ...Buffer.from('ller '), 0x80, 0x0a])
    const decoded = decodeCsv(bytes)
    expect(decoded.text).toBe(`email,name\nj@example.com,${name} €\n`)
    expect(decoded.encoding).toBe('Windows-1252')
    expect(decoded.warning).toMatch(/^The file is not valid UTF-8: read it as Windows-1252/)
  })
})

describe('readCsv', () => {
  it('detects comma, semicolon and tab from the header row, ignoring quoted ones', () => {
    expect(detectSeparator('email,name\na;b;c;d\n')).toBe(',')
    expect(detectSeparator('email;name;"a,b,c"\n')).toBe(';')
    expect(detectSeparator('email\tname\n')).toBe('\t')
    expect(detectSeparator('email\n')).toBe(',')
    for (const separator of [',', ';', '\t']) {
      const rows = records(`email${separator}name\r\nj@example.com${separator}"${name}${separator} Jr."\r\n`)
      expect(rows.map((row) => row.fields)).toEqual([['email', 'name'], ['j@example.com', `${name}${separator} Jr.`]])
      expect(rows[1]!.places).toEqual([{ line: 2, column: 1 }, { line: 2, column: 15 }])
    }
  })

  it('refuses a column named twice at its row:col, whatever the case', () => {
    expect(failure(() => records('email,email,name\nj@example.com,k@example.com,J\n'))).toBe('r.csv:1:7: Column `email` appears twice in the header (also column 1)')
    expect(failure(() => records('name;Email;department;EMAIL\n'))).toBe('r.csv:1:23: Column `EMAIL` appears twice in the header (also column 2)')
  })

  it('points at a broken quote', () => {
    expect(failure(() => records('email,name\nj@example.com,"José\n'))).toMatch(/^r\.csv:2:15: The CSV cannot be read: Quote Not Closed/)
  })
})
