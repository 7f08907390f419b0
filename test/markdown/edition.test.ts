import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDepartments } from '../../src/content/departments.ts'
import { parseDoc } from '../../src/content/load.ts'
import { buildEmail } from '../../src/email/build-email.ts'
import { loadLayouts } from '../../src/email/layout.ts'
import { editionContents, editionOf } from '../../src/markdown/edition.ts'
import { renderParts } from '../../src/markdown/parts.ts'
import { departmentsYml, withDepartmentSections } from '../send/directory-fixtures.ts'
import { repo, sampleContent, testSettings } from '../helpers/render.ts'

const departments = parseDepartments('content/departments.yml', departmentsYml).departments!

describe('department editions', async () => {
  const text = withDepartmentSections(await readFile(join(sampleContent, 'issues/2026-11.md'), 'utf8'))
  const { doc, file } = parseDoc('content/issues/2026-11.md', text, 'issue')
  if (!doc) throw new Error(String(file.messages))
  const parts = renderParts(doc)
  const layouts = await loadLayouts(join(repo, 'layouts/email'), repo)

  it('keeps what is for everyone or for the department, and drops the marker line', () => {
    expect(parts.sections.find((section) => section.title === 'New expense app')).toMatchObject({ for: ['finance'] })
    expect(parts.sections.find((section) => section.title === 'New expense app')!.html).not.toContain('for:')
    const finance = editionContents(editionOf(parts, departments.byId.get('finance')))
    const hr = editionContents(editionOf(parts, departments.byId.get('hr')))
    const general = editionContents(editionOf(parts, undefined))
    expect(finance).toContain('New expense app')
    expect(finance).toContain('Payslips move online')
    expect(finance).toContain('Patch: 7-Zip update')
    expect(finance).not.toContain('Project: Guest Wi-Fi upgrade')
    expect(hr).toContain('Payslips move online')
    expect(hr).toContain('Project: Guest Wi-Fi upgrade')
    expect(hr).not.toContain('New expense app')
    expect(hr).not.toContain('Patch: 7-Zip update')
    expect(general.filter((item) => !hr.includes(item) || !finance.includes(item))).toEqual([])
    expect(editionContents(parts).length - general.length).toBe(4)
  })

  it('names the department contact in the HTML (mailto, tel:) and the text part; the general edition has no such block', async () => {
    const email = await buildEmail(editionOf(parts, departments.byId.get('finance')), testSettings(), layouts)
    expect(email.html).toContain('Your IT contact for Finance')
    expect(email.html).toContain('href="mailto:priya.shah@example.com"')
    expect(email.html).toContain('href="tel:+442079460101"')
    expect(email.html).toContain('New expense app')
    expect(email.html).not.toContain('Guest Wi-Fi upgrade')
    expect(email.text).toContain(
      'YOUR IT CONTACT FOR FINANCE\n---------------------------\n\nPriya Shah\nEmail: priya.shah@example.com\nPhone: +44 20 7946 0101',
    )
    const general = await buildEmail(editionOf(parts, undefined), testSettings(), layouts)
    expect(general.html).not.toContain('Your IT contact')
    expect(general.text).not.toContain('YOUR IT CONTACT')
    expect(general.html).not.toContain('New expense app')
  })

  it('keeps a hostile contact text: the name escaped, the email a mailto: link whatever it holds', async () => {
    const hostile = parseDepartments(
      'content/departments.yml',
      `departments:\n  - id: sales\n    name: "Sales <b>team</b>"\n    contact: { name: "<img src=x onerror=alert(1)>Sam", email: "javascript:alert(1)?bcc=all@example.com" }\n`,
    )
    expect(hostile.file.messages).toEqual([])
    const email = await buildEmail(editionOf(parts, hostile.departments!.byId.get('sales')), testSettings(), layouts)
    expect(email.html).not.toContain('<img src=x')
    expect(email.html).not.toContain('<b>team</b>')
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;Sam')
    expect(email.html).toContain('Your IT contact for Sales &lt;b&gt;team&lt;/b&gt;')
    expect(email.html).toContain('href="mailto:javascript%3Aalert(1)%3Fbcc%3Dall@example.com"')
  })
})
