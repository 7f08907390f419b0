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
    expect(failure(() => records('email,name\nj@example.com,"José\n'))).toBe('r.csv:2:15: The CSV cannot be read: the quote that opens this field is never closed')
  })

  it('hands every unreadable record to onBadRecord and reads on from the next line', () => {
    const good: number[] = []
    const bad: string[] = []
    const text = 'email;name\nj@example.com;"J" Doe\n\nk@example.com;K\nl@example.com;L"x\nm@example.com;"M\n'
    readCsv('r.csv', text, (record, isHeader) => isHeader || good.push(record.line), { onBadRecord: (problem) => bad.push(`${problem.where?.line}:${problem.where?.column}`) })
    expect(good).toEqual([4])
    expect(bad).toEqual(['2:15', '5:15', '6:15'])
  })

  it('still throws for a broken header, with or without onBadRecord, and for the first bad record without it', () => {
    const onBadRecord = () => {}
    expect(failure(() => readCsv('r.csv', '"email,name\nj@example.com,J\n', () => {}, { onBadRecord }))).toBe(
      'r.csv:1:1: The CSV cannot be read: the quote that opens this field is never closed',
    )
    expect(failure(() => records('email,name\nj@example.com,J"\nk@example.com,"K\n'))).toBe(
      'r.csv:2:15: The CSV cannot be read: a quote appears inside this field, which does not start with one',
    )
  })

  it('stops after `rows` records below the header, bad records aside', () => {
    const lines: number[] = []
    const bad: number[] = []
    const text = 'email\n"a\nb@example.com\n\n"c@example.com"\nd@example.com\ne@example.com\n'
    readCsv('r.csv', text, (record) => lines.push(record.line), { rows: 3, onBadRecord: (problem) => bad.push(problem.where!.line) })
    expect(lines).toEqual([1, 3, 5, 6])
    expect(bad).toEqual([2])
  })
})
