import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ParsedMail } from 'mailparser'
import { describe, expect, it } from 'vitest'
import { runSend } from '../../src/commands/send.ts'
import { approveText } from '../../src/content/approval.ts'
import type { NewsletterError } from '../../src/errors.ts'
import { withDepartmentSections } from './directory-fixtures.ts'
import { adCsv, departmentsYml, entraCsv } from './directory-fixtures.ts'
import { sampleContent } from '../helpers/render.ts'
import { collect, scaffold } from './helpers.ts'

const { project, sink } = scaffold({ edit: withDepartmentSections, send: '  require_tls: false\n' })

async function departmentProject(departments = departmentsYml): Promise<string> {
  const root = await project()
  await writeFile(join(root, 'content/departments.yml'), departments)
  return root
}

async function send(root: string, port: number, flags: Record<string, unknown>, slug = '2026-11') {
  const io = collect()
  const code = await runSend({ yes: true, ...flags }, [slug], io, {
    root,
    env: { SMTP_URL: `smtp://127.0.0.1:${port}` },
    tty: false,
    progressEvery: 60_000,
  })
  return { code, io }
}

const toOf = (message: ParsedMail) => (message.to && !Array.isArray(message.to) ? message.to.value[0]!.address! : '')

/** What only some departments get, and whose contact: each message must have exactly its department's. */
const only = {
  finance: ['Finance moves to the new expense app', '7-Zip update', 'Priya Shah'],
  hr: ['Guest Wi-Fi upgrade', 'Tom Okafor'],
  both: ['Payslips are online'],
}

function expectEdition(message: ParsedMail, department: 'finance' | 'hr') {
  const other = department === 'finance' ? 'hr' : 'finance'
  for (const part of [message.text!, message.html as string]) {
    for (const item of [...only[department], ...only.both]) expect(part, `${toOf(message)} should get ${item}`).toContain(item)
    for (const item of only[other]) expect(part, `${toOf(message)} should not get ${item}`).not.toContain(item)
  }
}

describe('send per department edition', () => {
  it('mails each person of an Entra ID export their department’s edition and contact; guests and disabled accounts get nothing', async () => {
    const root = await departmentProject()
    const server = await sink()
    const file = join(root, 'users.csv')
    await writeFile(file, entraCsv)
    const { code, io } = await send(root, server.port, { recipients: file })
    expect(code).toBe(0)
    expect(io.stdout).toContain('Read ' + file + ' as an Entra ID user export: 3 people; skipped 1 disabled account, 1 guest.')
    expect(server.accepted.sort()).toEqual(['ann.lee@example.com', 'bo.chen@example.com', 'cy.diaz@example.com'])
    const byTo = new Map(server.messages.map((message) => [toOf(message), message]))
    expectEdition(byTo.get('ann.lee@example.com')!, 'finance')
    expectEdition(byTo.get('cy.diaz@example.com')!, 'finance')
    expectEdition(byTo.get('bo.chen@example.com')!, 'hr')
    expect(byTo.get('bo.chen@example.com')!.html).toContain('href="tel:+442079460102"')
  })

  it('mails a Windows-1252 Get-ADUser export with a #TYPE line and CRLF: names intact, each their edition', async () => {
    const root = await departmentProject()
    const server = await sink()
    const file = join(root, 'ad.csv')
    await writeFile(file, Buffer.from(adCsv, 'latin1'))
    const { code } = await send(root, server.port, { recipients: file })
    expect(code).toBe(0)
    expect(server.accepted.sort()).toEqual(['dee.ford@example.com', 'jose.nunez@example.com'])
    const byTo = new Map(server.messages.map((message) => [toOf(message), message]))
    expect((byTo.get('jose.nunez@example.com')!.to as { value: { name: string }[] }).value[0]!.name).toBe('José Núñez')
    expectEdition(byTo.get('jose.nunez@example.com')!, 'finance')
    expectEdition(byTo.get('dee.ford@example.com')!, 'hr')
  })

  it('--departments sends one message per list, recorded per list: a rerun sends nothing', async () => {
    const root = await departmentProject()
    const server = await sink()
    const first = await send(root, server.port, { departments: true })
    expect(first.code).toBe(0)
    expect(server.accepted.sort()).toEqual(['finance-all@example.com', 'hr-all@example.com'])
    expectEdition(
      server.messages.find((message) => toOf(message) === 'finance-all@example.com')!,
      'finance',
    )
    expectEdition(
      server.messages.find((message) => toOf(message) === 'hr-all@example.com')!,
      'hr',
    )
    const again = await send(root, server.port, { departments: true })
    expect(again.code).toBe(0)
    expect(again.io.stdout).toMatch(/^Nothing to send: all 2 recipients of 2026-11 are already settled/)
    expect(server.accepted).toHaveLength(2)
  })

  it('--departments refuses, before anything is sent, when a department has no list, naming it', async () => {
    const root = await departmentProject(`${departmentsYml}  - id: legal\n    name: Legal\n  - id: ops\n    name: Operations\n`)
    const server = await sink()
    const error = await send(root, server.port, { departments: true }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'refused', message: 'Departments `legal`, `ops` have no `list` address: nothing was sent' })
    expect(server.attempts).toEqual([])
  })

  it('refuses unmapped department values with each value, its count and first row, before anything is sent', async () => {
    const root = await departmentProject()
    const server = await sink()
    const file = join(root, 'users.csv')
    await writeFile(file, entraCsv.replace('Finance & Accounts', 'Treasury').replace(',fin,', ',Treasury,'))
    const error = (await send(root, server.port, { recipients: file }).catch((caught: unknown) => caught)) as NewsletterError
    expect(error).toMatchObject({ code: 'refused', message: `1 bad row in ${file}: nothing was sent` })
    expect(error.details!.split('\n')[0]).toBe(
      `${file}:2:78: error: 2 people have departments that match none in departments.yml: \`Treasury\` (2 people, first on row 2) (recipients/department)`,
    )
    expect(server.attempts).toEqual([])
  })

  it('--dry-run prints each edition once: department, what it holds beyond the rest, people, messages', async () => {
    const root = await departmentProject()
    const file = join(root, 'users.csv')
    await writeFile(file, entraCsv)
    const { code, io } = await send(root, 1, { recipients: file, 'dry-run': true })
    expect(code).toBe(0)
    const table = io.stdout.split('\n').slice(2, 6)
    expect(table[0]).toBe('  editions: 2 (each rendered once)')
    expect(table[1]).toMatch(/^ {2}Department +Sections +People +Messages$/)
    expect(table[2]).toMatch(/^ {2}Finance +\d+ \(.*Patch: 7-Zip update/)
    expect(table[2]).toContain('New expense app')
    expect(table[2]).toMatch(/2 people +2$/)
    expect(table[3]).toMatch(/^ {2}Human Resources .*Guest Wi-Fi upgrade.* 1 person +1$/)
  })

  it('sends a notice for some departments only to their people, with their IT contact, and with --departments only to their lists', async () => {
    const root = await departmentProject()
    const slug = '2026-10-14-vpn-outage'
    const notice = await readFile(join(sampleContent, 'notices', `${slug}.md`), 'utf8')
    await mkdir(join(root, 'content/notices'))
    await writeFile(
      join(root, 'content/notices', `${slug}.md`),
      approveText(notice.replace(/^service: /m, 'departments: [hr]\nservice: '), { by: 'Test', at: '2026-11-02T09:00' }),
    )
    const server = await sink()
    const file = join(root, 'users.csv')
    await writeFile(file, entraCsv)
    expect((await send(root, server.port, { recipients: file }, slug)).code).toBe(0)
    expect(server.accepted).toEqual(['bo.chen@example.com'])
    // The notice names the reader's IT contact as the issue does, in the HTML and the text part.
    const [mail] = server.messages
    expect(mail!.html).toContain('Your IT contact for Human Resources')
    expect(mail!.html).toContain('href="mailto:tom.okafor@example.com"')
    expect(mail!.html).toContain('href="tel:+442079460102"')
    expect(mail!.text).toContain('YOUR IT CONTACT FOR HUMAN RESOURCES')
    expect(mail!.text).toContain('Tom Okafor\nEmail: tom.okafor@example.com\nPhone: +44 20 7946 0102')
    expect(mail!.html).not.toContain('Priya Shah')
    expect((await send(root, server.port, { departments: true }, slug)).code).toBe(0)
    expect(server.accepted).toEqual(['bo.chen@example.com', 'hr-all@example.com'])
  })
})
