import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JsonMessage } from '../../src/check/messages.ts'
import { checkCommand } from '../../src/commands/check.ts'
import { runCli, tempProject } from '../helpers/project.ts'
import { departmentsYml, entraCsv, withDepartmentSections } from '../send/directory-fixtures.ts'
import { collect } from '../send/helpers.ts'

// Finance and HR have contacts (lines 1–11); Legal (line 12) and Sales (line 14) have none.
const departments = `${departmentsYml}  - id: legal
    name: Legal
  - id: sales
    name: Sales
`

let root: string
let issue: string

async function check(...args: string[]): Promise<{ code: number; messages: JsonMessage[] }> {
  const io = collect()
  const recipients = args.indexOf('--recipients')
  const values = { format: 'json', online: false, fix: false, ...(recipients >= 0 ? { recipients: args[recipients + 1] } : {}) }
  const positionals = recipients >= 0 ? args.filter((_, index) => index !== recipients && index !== recipients + 1) : args
  const code = await checkCommand.run(values, positionals, io, root)
  return { code, messages: JSON.parse(io.stdout) as JsonMessage[] }
}

const brief = (messages: JsonMessage[], rule: string) =>
  messages.filter((m) => m.rule === rule).map((m) => `${m.file}:${m.line}:${m.column} ${m.severity} ${m.message}`)

beforeAll(async () => {
  root = tempProject()
  await writeFile(join(root, 'content/departments.yml'), departments)
  const path = join(root, 'content/issues/2026-11.md')
  issue = withDepartmentSections(await readFile(path, 'utf8'))
    .replace(/^( {2}- title: Windows 11 November cumulative update)$/m, '$1\n    for: [hr, sales]')
    .replace('\n## Thank you', '\n## Contract templates\n<!-- for: finance, legal -->\n\nNew templates are in the portal.\n\n## Thank you')
  await writeFile(path, issue)
  // A directory export as Excel leaves it: a byte order mark and CRLF line ends; Finance and HR people only.
  await writeFile(join(root, 'users.csv'), `\uFEFF${entraCsv.replace(/\n/g, '\r\n')}`)
}, 60_000)

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('check and departments', () => {
  it('warns about each department without a contact, at its entry in departments.yml', async () => {
    const { messages } = await check()
    expect(brief(messages, 'departments/no-contact')).toEqual([
      'content/departments.yml:12:5 warning Department `legal` has no contact: its edition names nobody in IT to ask',
      'content/departments.yml:14:5 warning Department `sales` has no contact: its edition names nobody in IT to ask',
    ])
    expect(messages.find((m) => m.rule === 'departments/no-contact')!.hint).toBe('Add its relationship manager: contact: { name: "…", email: …, phone: "…" }')
    expect(brief(messages, 'departments/no-recipients')).toEqual([])
  })

  it('with --recipients, warns where something is for a department nobody in the file is in, at the id', async () => {
    const { code, messages } = await check('--recipients', 'users.csv')
    expect(code).toBe(0)
    const lines = issue.split('\n')
    const patchFor = lines.indexOf('    for: [hr, sales]') + 1
    const sectionFor = lines.indexOf('<!-- for: finance, legal -->') + 1
    expect(patchFor).toBeGreaterThan(1)
    expect(sectionFor).toBeGreaterThan(patchFor)
    expect(brief(messages, 'departments/no-recipients')).toEqual([
      `content/issues/2026-11.md:${patchFor}:15 warning Nobody in users.csv is in department \`sales\`: this patch reaches no one there`,
      `content/issues/2026-11.md:${sectionFor}:20 warning Nobody in users.csv is in department \`legal\`: this section reaches no one there`,
    ])
    expect(messages.find((m) => m.rule === 'departments/no-recipients')!.hint).toBe(
      'Check the department column of users.csv and the aliases of `sales` in departments.yml, or take `sales` off',
    )
  })

  it('reports the recipients file’s own problems with their place, and lets settings turn the rules off', async () => {
    await writeFile(join(root, 'bad.csv'), 'email,name,department\r\nnot-an-address,Ann,Finance\r\n')
    const bad = await check('--recipients', 'bad.csv')
    expect(bad.code).toBe(1)
    expect(brief(bad.messages, 'recipients/address')).toEqual(['bad.csv:2:1 error `not-an-address` is not an email address'])
    const settings = join(root, 'content/settings.yml')
    const before = await readFile(settings, 'utf8')
    await writeFile(settings, `${before}checks:\n  rules:\n    departments/no-contact: off\n    departments/no-recipients: off\n`)
    try {
      const { messages } = await check('--recipients', 'users.csv')
      expect(messages.filter((m) => m.rule.startsWith('departments/'))).toEqual([])
    } finally {
      await writeFile(settings, before)
    }
  })

  it('takes --recipients on the command line and prints the warning as text', () => {
    const { code, stdout } = runCli(root, ['check', 'content/issues/2026-11.md', '--recipients', 'users.csv'])
    expect(code).toBe(0)
    const line = issue.split('\n').indexOf('<!-- for: finance, legal -->') + 1
    expect(stdout).toContain(
      `content/issues/2026-11.md:${line}:20: warning: Nobody in users.csv is in department \`legal\`: this section reaches no one there (departments/no-recipients)\n  Check the department column`,
    )
  })
})
