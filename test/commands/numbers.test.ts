import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseDoc } from '../../src/content/load.ts'
import type { IssueMeta } from '../../src/content/types.ts'
import { sampleContent } from '../helpers/render.ts'
import { mainIn } from '../helpers/project.ts'

const repo = join(import.meta.dirname, '../..')
const glpi = join(repo, 'test/fixtures/tickets/glpi.csv')
let project: string

const run = (...argv: string[]) => mainIn(project, argv)

// The sample issue for November reports on October, the month the GLPI fixture covers.
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'newsletter-numbers-'))
  await mkdir(join(project, 'content/issues'), { recursive: true })
  await cp(join(repo, 'layouts'), join(project, 'layouts'), { recursive: true })
  for (const name of ['settings.yml', 'glossary.yml', 'issues/2026-11.md']) await copyFile(join(sampleContent, name), join(project, 'content', name))
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

const issuePath = () => join(project, 'content/issues/2026-11.md')

describe('newsletter numbers', () => {
  it('writes numbers: after top_question and changes nothing else, then rewrites only that block, keeping the comments', async () => {
    const before = (await readFile(issuePath(), 'utf8')).replace('\ntop_question:', '\n# The question we answer.\ntop_question: # asked most')
    await writeFile(issuePath(), before)
    const first = await run('numbers', '2026-11', '--from-tickets', glpi)
    expect(first.code).toBe(0)
    expect(first.out).toMatch(
      /^content\/issues\/2026-11\.md: numbers for 2026-10 from .*glpi\.csv \(GLPI\): 5 opened, 4 resolved\. It was approved: approve it again/,
    )
    const written = await readFile(issuePath(), 'utf8')
    const block = [
      'numbers:',
      '  period: 2026-10  # the month counted',
      '  opened: 5        # tickets created in the period',
      '  resolved: 4      # tickets resolved in the period',
      '  resolution_median_hours: 5',
      // The fixture project's settings have no time zone: UTC, where 24 October 18:00 to 25 October 18:00 is 24 hours.
      '  resolution_p90_hours: 24',
      '  top_categories:  # up to 5, most first',
      '    - { name: "Accounts > Password", count: 2 }',
      '    - { name: "Hardware > Laptop", count: 1 }',
      '    - { name: "Hardware > Printer", count: 1 }',
      '    - { name: "Network > VPN", count: 1 }',
      '  channels:',
      '    - { name: "Helpdesk", count: 2 }',
      '    - { name: "Phone", count: 2 }',
      '    - { name: "E-Mail", count: 1 }',
      '',
    ].join('\n')
    const projects = before.indexOf('\nprojects:') + 1
    expect(written).toBe(before.slice(0, projects) + block + before.slice(projects))
    const meta = parseDoc('content/issues/2026-11.md', written, 'issue').doc!.meta as IssueMeta
    expect(meta.numbers).toMatchObject({ period: '2026-10', opened: 5, resolved: 4, resolution_p90_hours: 24 })

    // By hand: a comment on the key's line and a figure edited; counting again replaces the figures and keeps the comment.
    const edited = written.replace('  opened: 5  ', '  opened: 7  ').replace('numbers:\n', 'numbers: # from GLPI\n')
    await writeFile(issuePath(), edited)
    expect((await run('numbers', '2026-11', '--from-tickets', glpi)).code).toBe(0)
    expect(await readFile(issuePath(), 'utf8')).toBe(written.replace('numbers:\n', 'numbers: # from GLPI\n'))
  })

  it('points at the cell it cannot read and leaves the issue as it was', async () => {
    const bad = join(project, 'bad.csv')
    await writeFile(bad, '\uFEFFID;Opening date;Category;Resolution date\r\n1;2026-10-01 09:00;Printer;2026-10-01 10:00\r\n2;1 Oct;Printer;\r\n')
    const before = await readFile(issuePath(), 'utf8')
    const result = await run('numbers', '2026-11', '--from-tickets', bad)
    expect(result.code).toBe(1)
    expect(result.err).toContain('bad.csv:3:3: error: `1 Oct` in column `Opening date` is not a date')
    expect(await readFile(issuePath(), 'utf8')).toBe(before)
  })

  it('says what to do without an export or with an unknown issue', async () => {
    expect((await run('numbers', '2026-11')).err).toContain('Say which ticket export to count: --from-tickets tickets.csv')
    expect((await run('numbers', '2026-12', '--from-tickets', glpi)).code).toBe(2)
  })
})
