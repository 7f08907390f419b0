import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { collectMessages, formatText } from '../../src/check/messages.ts'
import { parseDepartments } from '../../src/content/departments.ts'
import { loadProject } from '../../src/project/project.ts'
import { makeProject, removeProject } from '../send/helpers.ts'

const path = 'content/departments.yml'
const errorsOf = (text: string) => collectMessages([parseDepartments(path, text).file]).map((m) => `${m.line}:${m.column} ${m.message} (${m.rule})`)

const good = `departments:
  - id: finance
    name: Finance
    aliases: ["Finance & Accounts", "FIN"]
    list: finance-all@example.com
    contact: { name: "Priya Shah", email: priya.shah@example.com, phone: "+44 20 7946 0101" }
  - id: hr
    name: Human Resources
unmapped: general
`

describe('content/departments.yml', () => {
  it('reads departments and resolves the directory spellings, ignoring case and spacing', () => {
    const { departments, file } = parseDepartments(path, good)
    expect(file.messages).toEqual([])
    expect(departments!.unmapped).toBe('general')
    expect(departments!.resolve('finance  &  ACCOUNTS')?.id).toBe('finance')
    expect(departments!.resolve('fin')?.id).toBe('finance')
    expect(departments!.resolve('human resources')?.id).toBe('hr')
    expect(departments!.resolve('HR')?.id).toBe('hr')
    expect(departments!.resolve('Sales')).toBeUndefined()
    expect(departments!.byId.get('finance')!.contact).toEqual({ name: 'Priya Shah', email: 'priya.shah@example.com', phone: '+44 20 7946 0101' })
  })

  it('reports unknown keys, a bad id, a bad contact email and a bad unmapped value at their positions', () => {
    const text = `departments:
  - id: Finance Team
    name: Finance
    colour: red
    contact: { name: Priya, email: priya.example.com }
unmapped: everyone
`
    expect(errorsOf(text)).toEqual([
      '2:9 `id` must be lower-case letters, digits and dashes, got `Finance Team` (departments/id)',
      '4:5 Unknown key `colour` in `departments` (departments/unknown-key)',
      '5:36 `email` must be an email address, got `priya.example.com` (departments/email)',
      '6:11 `unmapped` must be one of refuse | general, got `everyone` (departments/unmapped)',
    ])
  })

  it('refuses a contact email or phone a link could read as a script, at the value', () => {
    const text = `departments:
  - id: finance
    name: Finance
    contact: { name: "<b>Priya</b>", email: "javascript:alert(1)", phone: "javascript:alert(1)" }
  - id: hr
    name: HR
    contact:
      name: Tom
      email: tom@example.com
      phone: "<a href=x>1</a>"
`
    expect(errorsOf(text)).toEqual([
      '4:45 `email` must be an email address, got `javascript:alert(1)` (departments/email)',
      '4:75 `phone` must be a phone number, got `javascript:alert(1)` (departments/phone)',
      '10:14 `phone` must be a phone number, got `<a href=x>1</a>` (departments/phone)',
    ])
  })

  it('refuses a duplicate id and a spelling that names two departments, at the second one', () => {
    const text = `departments:
  - id: finance
    name: Finance
    aliases: [FIN]
  - id: finance
    name: Money
  - id: payroll
    name: Payroll
    aliases: ["  fin "]
`
    expect(errorsOf(text)).toEqual([
      '5:9 Department id `finance` is used twice (departments/duplicate-id)',
      '9:15 `  fin ` already names department `finance` (departments/duplicate-alias)',
    ])
  })
})

describe('department ids in content', () => {
  const roots: string[] = []
  afterEach(async () => {
    await Promise.all(roots.splice(0).map(removeProject))
  })

  it('reports every unknown id at its position: section markers, for: on list items, and markers in the wrong place', async () => {
    const root = await makeProject({
      edit: (text) =>
        text
          .replace(/^(\s+- title: .*)$/m, '$1\n    for: [finanse]')
          .replace(/\n## /, '\n<!-- for: hr -->\n\n## ')
          .replace(/(\n## [^\n]*\n)/, '$1<!-- for: finance, payrol -->\n'),
    })
    roots.push(root)
    await writeFile(join(root, path), good.replace('unmapped: general', '  - id: payroll\n    name: Payroll'))
    const project = await loadProject(root)
    const text = formatText(collectMessages(project.crossFile))
    expect(text).toMatchInlineSnapshot(`
      "content/issues/2026-11.md:14:11: error: Unknown department \`finanse\` (audience/department)
        Did you mean \`finance\`?
      content/issues/2026-11.md:88:1: error: A \`<!-- for: … -->\` line only works as the first line under a \`##\` heading (audience/marker)
        Move it to the line after the heading of the section it is for
      content/issues/2026-11.md:91:20: error: Unknown department \`payrol\` (audience/department)
        Did you mean \`payroll\`?"
    `)
  })

  it('names the missing departments file when content names a department', async () => {
    const root = await makeProject({ edit: (text) => text.replace(/(\n## [^\n]*\n)/, '$1<!-- for: finance -->\n') })
    roots.push(root)
    const project = await loadProject(root)
    expect(collectMessages(project.crossFile).map((m) => m.message)).toEqual(['Department `finance` is named, but the project has no departments.yml'])
  })

  it('a broken departments file stops the project where it is wrong', async () => {
    const root = await makeProject()
    roots.push(root)
    await writeFile(join(root, path), 'departments:\n  - id: x\n    nme: X\n')
    const project = await loadProject(root)
    expect(formatText(collectMessages([project.departments.file]))).toContain('content/departments.yml:3:5: error: Unknown key `nme` in `departments`')
    expect(project.departments.departments).toBeUndefined()
  })
})
