import { describe, expect, it } from 'vitest'
import { collectMessages, formatText } from '../../src/check/messages.ts'
import { parseRecipients } from '../../src/send/recipients.ts'

const rules = { allowedDomains: ['example.com'] }

describe('parseRecipients', () => {
  it('reads every column, trims values and de-duplicates case-insensitively with a warning', () => {
    const text = 'email,name,department\nAnn.Lee@example.com, Ann Lee ,Finance\n\n"bo@sub.example.com","Bo, Jr.",IT\nann.lee@EXAMPLE.com,Ann again,HR\n'
    const { file, recipients, columns } = parseRecipients('staff.csv', text, rules)
    expect(columns).toEqual(['email', 'name', 'department'])
    expect(recipients).toEqual([
      {
        email: 'Ann.Lee@example.com',
        key: 'ann.lee@example.com',
        fields: { email: 'Ann.Lee@example.com', name: 'Ann Lee', department: 'Finance' },
        row: 2,
        places: { email: { line: 2, column: 1 }, name: { line: 2, column: 21 }, department: { line: 2, column: 31 } },
      },
      {
        email: 'bo@sub.example.com',
        key: 'bo@sub.example.com',
        fields: { email: 'bo@sub.example.com', name: 'Bo, Jr.', department: 'IT' },
        row: 4,
        places: { email: { line: 4, column: 1 }, name: { line: 4, column: 22 }, department: { line: 4, column: 32 } },
      },
    ])
    expect(formatText(collectMessages([file]))).toBe(
      'staff.csv:5:1: warning: `ann.lee@EXAMPLE.com` is already on row 2; it is mailed once (recipients/duplicate)',
    )
  })

  it('reports every bad row at its row and column, and keeps none of them', () => {
    const text = [
      'name,department,email',
      'Ann,Finance,ann@example.com',
      'Bo,IT,',
      'Cy,Sales,cy@@example.com',
      'Di,HR,di@elsewhere.org',
      '"Ed\nWood",Ops,ed@example.com',
      'Fay,Legal,fay@example.com,extra',
      'Gil,"IT",gil@example..com',
    ].join('\n')
    const { file, recipients } = parseRecipients('people.csv', text, rules)
    expect(recipients.map((r) => r.email)).toEqual(['ann@example.com'])
    expect(
      formatText(collectMessages([file]))
        .split('\n')
        .filter((line) => !line.startsWith('  ')),
    ).toEqual([
      'people.csv:3:7: error: Missing email address (recipients/missing)',
      'people.csv:4:10: error: `cy@@example.com` is not an email address (recipients/address)',
      'people.csv:5:7: error: `di@elsewhere.org` is outside the allowed domains (example.com) (recipients/domain)',
      'people.csv:6:1: error: `name` contains a line break or control character, which could inject mail headers (recipients/injection)',
      'people.csv:8:27: error: Row has 4 fields but the header has 3 (recipients/columns)',
      'people.csv:9:10: error: `gil@example..com` is not an email address (recipients/address)',
    ])
  })

  it('reports every row the CSV grammar cannot read, each where it starts, and reads the rows between them', () => {
    const text = [
      'email,name,department',
      'ann@example.com,Ann,Finance',
      'bo@example.com,"Bo "the boss" Lee",IT',
      'cy@example.com,Cy,Sales,extra',
      'di@example.com,Di 5" screen,HR',
      'ed@example.com,Ed,IT',
      'fay@example.com,"Fay,Legal',
      'gil@example.com,Gil,Ops',
      '',
    ].join('\r\n')
    const { file, recipients } = parseRecipients('staff.csv', text, rules)
    expect(recipients.map((r) => `${r.row}: ${r.email}`)).toEqual(['2: ann@example.com', '6: ed@example.com', '8: gil@example.com'])
    expect(formatText(collectMessages([file]))).toBe(
      [
        'staff.csv:3:16: error: The CSV cannot be read: text follows the closing quote of this field (recipients/csv)',
        '  A field with a comma or quote is wrapped in quotes, with each quote inside it written twice: "Ann ""Annie"" Lee"',
        'staff.csv:4:25: error: Row has 4 fields but the header has 3 (recipients/columns)',
        '  Remove the extra field, or wrap a value containing the separator in quotes',
        'staff.csv:5:16: error: The CSV cannot be read: a quote appears inside this field, which does not start with one (recipients/csv)',
        '  A field with a comma or quote is wrapped in quotes, with each quote inside it written twice: "Ann ""Annie"" Lee"',
        'staff.csv:7:17: error: The CSV cannot be read: the quote that opens this field is never closed (recipients/csv)',
        '  Close the quote on this line, or remove it. A field with a comma or quote is wrapped in quotes, with each quote inside it written twice: "Ann ""Annie"" Lee"',
      ].join('\n'),
    )
  })

  it('names the line an unclosed quote runs on to when a later quote stops it', () => {
    const { file, recipients } = parseRecipients('run.csv', 'email;name\nann@example.com;"Ann\nbo@example.com;Bo\ncy@example.com;"Cy"\n', rules)
    expect(formatText(collectMessages([file])).split('\n')).toEqual([
      'run.csv:2:17: error: The CSV cannot be read: the quote that opens this field runs on to line 4, where the field cannot end (recipients/csv)',
      '  Close the quote on this line, or remove it. A field with a semicolon or quote is wrapped in quotes, with each quote inside it written twice: "Ann ""Annie"" Lee"',
    ])
    expect(recipients.map((r) => r.email)).toEqual(['bo@example.com', 'cy@example.com'])
  })

  it('points at a broken quote, a header without email, and an empty file', () => {
    const broken = parseRecipients('q.csv', 'email,name\nann@example.com,"Ann\nbo@example.com,Bo\n', rules)
    expect(formatText(collectMessages([broken.file])).split('\n')[0]).toBe(
      'q.csv:2:17: error: The CSV cannot be read: the quote that opens this field is never closed (recipients/csv)',
    )
    expect(broken.recipients.map((r) => r.email)).toEqual(['bo@example.com'])

    const header = parseRecipients('h.csv', 'mail,name\nann@example.com,Ann\n', rules)
    expect(formatText(collectMessages([header.file]))).toMatch(/^h\.csv:1:1: error: The header has no `email` column \(found: mail, name\)/)

    expect(formatText(collectMessages([parseRecipients('e.csv', '', rules).file]))).toMatch(/^e\.csv:1:1: error: The file is empty/)
    expect(formatText(collectMessages([parseRecipients('n.csv', 'email\n', rules).file]))).toMatch(
      /^n\.csv:1:1: error: The file has a header but no recipients/,
    )
  })

  it('rejects a carriage return hidden in a quoted field', () => {
    const { file } = parseRecipients('cr.csv', 'email,name\nann@example.com,"Ann\rBcc: x@evil.test"\n', rules)
    expect(formatText(collectMessages([file]))).toMatch(/^cr\.csv:2:17: error: `name` contains a line break/)
  })

  it('refuses a repeated column instead of using one of them', () => {
    const { file, recipients } = parseRecipients('twice.csv', 'email,email,name\nann@example.com,bo@example.com,Ann\n', rules)
    expect(recipients).toEqual([])
    expect(formatText(collectMessages([file])).split('\n')[0]).toBe(
      'twice.csv:1:7: error: Column `email` appears twice in the header (also column 1) (recipients/header)',
    )
  })

  it('reads semicolons and tabs, and CRLF line ends, with positions in the file', () => {
    const { file, recipients } = parseRecipients('eu.csv', 'name;email\r\n"Müller; José";jm@example.com\r\nAnn;ann@elsewhere.org\r\n', rules)
    expect(recipients).toEqual([
      {
        email: 'jm@example.com',
        key: 'jm@example.com',
        fields: { email: 'jm@example.com', name: 'Müller; José' },
        row: 2,
        places: { name: { line: 2, column: 1 }, email: { line: 2, column: 16 } },
      },
    ])
    expect(formatText(collectMessages([file])).split('\n')[0]).toBe(
      'eu.csv:3:5: error: `ann@elsewhere.org` is outside the allowed domains (example.com) (recipients/domain)',
    )
    expect(parseRecipients('tab.csv', 'email\tname\nann@example.com\tAnn\n', rules).recipients[0]!.fields).toEqual({ email: 'ann@example.com', name: 'Ann' })
  })

  it('allows any domain when none are configured', () => {
    expect(parseRecipients('any.csv', 'email\nsomeone@elsewhere.org\n').recipients).toHaveLength(1)
  })
})
