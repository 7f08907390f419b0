import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { collectMessages, formatText } from '../../src/check/messages.ts'
import { parseDepartments } from '../../src/content/departments.ts'
import { parseRecipients, readRecipients } from '../../src/send/recipients.ts'
import { adCsv, departmentsYml, entraCsv } from './directory-fixtures.ts'

const departments = parseDepartments('content/departments.yml', departmentsYml).departments!
const rules = { allowedDomains: ['example.com'], departments }
const dir = await mkdtemp(join(tmpdir(), 'directory-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('recipients from a directory export', () => {
  it('reads an Entra ID export: mail or the UPN, display name, each department mapped, guests and disabled accounts skipped', () => {
    const list = parseRecipients('users.csv', entraCsv, rules)
    expect(formatText(collectMessages([list.file]))).toBe('')
    expect(list.format).toBe('entra')
    expect(list.skipped).toEqual({ disabled: 1, guests: 1, noAddress: 0 })
    expect(list.recipients.map((r) => [r.email, r.fields.name, r.department, r.fields.jobTitle])).toEqual([
      ['ann.lee@example.com', 'Ann Lee', 'finance', 'Controller'],
      ['bo.chen@example.com', 'Bo Chen', 'hr', 'Recruiter'],
      ['cy.diaz@example.com', 'Cy Díaz', 'finance', 'Analyst'],
    ])
    // Bo has no mailbox address: the UPN is used, and a problem with it would point at the UPN column.
    expect(list.recipients[1]!.places!.email).toEqual({ line: 3, column: 1 })
  })

  it('reads a Windows-1252 Get-ADUser export with a #TYPE line and CRLF, positions counted from the real first line', async () => {
    const path = join(dir, 'ad.csv')
    await writeFile(path, Buffer.from(adCsv, 'latin1'))
    const list = await readRecipients(path, rules)
    expect(list.format).toBe('ad')
    expect(list.skipped).toEqual({ disabled: 1, guests: 0, noAddress: 1 })
    expect(list.recipients.map((r) => [r.email, r.fields.name, r.department, r.row])).toEqual([
      ['jose.nunez@example.com', 'José Núñez', 'finance', 3],
      ['dee.ford@example.com', 'Dee Ford', 'hr', 4],
    ])
    expect(list.recipients[0]!.places!.EmailAddress).toEqual({ line: 3, column: 78 })
    expect(collectMessages([list.file]).map((m) => m.rule)).toEqual(['recipients/encoding'])
  })

  it('reads a semicolon-separated Export-Csv -UseCulture file with its #TYPE line', () => {
    const text = adCsv.replace(/","/g, '";"').replace(/^#TYPE .*/, '#TYPE Selected.Microsoft.ActiveDirectory.Management.ADUser')
    const list = parseRecipients('ad.csv', text, rules)
    expect(list.recipients.map((r) => r.department)).toEqual(['finance', 'hr'])
  })

  it('reads a Google Workspace export: first and last name joined, suspended users skipped', () => {
    const text = [
      'First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Org Unit Path [Required],Status [READ ONLY],Department',
      'Eve,Stone,eve.stone@example.com,****,/Staff,Active,Finance',
      'Fin,Old,fin.old@example.com,****,/Staff,Suspended,Finance',
      'Gus,Hale,gus.hale@example.com,****,/Staff,Active,People Team',
    ].join('\n')
    const list = parseRecipients('google.csv', text, rules)
    expect(list.format).toBe('google')
    expect(list.skipped.disabled).toBe(1)
    expect(list.recipients.map((r) => [r.email, r.fields.name, r.department])).toEqual([
      ['eve.stone@example.com', 'Eve Stone', 'finance'],
      ['gus.hale@example.com', 'Gus Hale', 'hr'],
    ])
  })

  it('refuses department values that match no department in one error: each value, how many people, its first row', () => {
    const text = [
      'userPrincipalName,displayName,mail,userType,department,accountEnabled',
      'a@example.com,A,a@example.com,Member,Sales,True',
      'b@example.com,B,b@example.com,Member,Finance,True',
      'c@example.com,C,c@example.com,Member,Sales,True',
      'd@example.com,D,d@example.com,Member,,True',
      'e@example.com,E,e@example.com,Member,Legal,True',
    ].join('\n')
    const list = parseRecipients('users.csv', text, rules)
    expect(formatText(collectMessages([list.file]))).toBe(
      'users.csv:2:38: error: 4 people have departments that match none in departments.yml: `Sales` (2 people, first on row 2), (empty) (1 person, first on row 5), `Legal` (1 person, first on row 6) (recipients/department)\n' +
        '  Add each value to the aliases of its department in content/departments.yml, or set `unmapped: general` to send them the general edition',
    )
    const general = parseDepartments('content/departments.yml', `${departmentsYml}unmapped: general\n`).departments!
    const lenient = parseRecipients('users.csv', text, { ...rules, departments: general })
    expect(collectMessages([lenient.file]).map((m) => m.severity)).toEqual(['warning'])
    expect(lenient.recipients.map((r) => r.department)).toEqual([undefined, 'finance', undefined, undefined, undefined])
  })

  it('reads any other export through send.recipients_columns', () => {
    const text = ['Mail Addr,Full Name,Dept,Active', 'h@example.com,Hal,HR,yes', 'i@example.com,Ida,Finance,no'].join('\n')
    const list = parseRecipients('hr.csv', text, { ...rules, columns: { email: 'Mail Addr', name: 'Full Name', department: 'Dept', enabled: 'Active' } })
    expect(formatText(collectMessages([list.file]))).toBe('')
    expect(list.format).toBe('settings')
    expect(list.recipients.map((r) => [r.email, r.fields.name, r.department])).toEqual([['h@example.com', 'Hal', 'hr']])
    expect(list.skipped.disabled).toBe(1)
    const missing = parseRecipients('hr.csv', text, { ...rules, columns: { email: 'E-mail' } })
    expect(formatText(collectMessages([missing.file])).split('\n')[0]).toBe(
      'hr.csv:1:1: error: The header has no `E-mail` column, named in send.recipients_columns (found: Mail Addr, Full Name, Dept, Active) (recipients/header)',
    )
  })
})
