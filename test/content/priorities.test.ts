import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { collectMessages, formatText } from '../../src/check/messages.ts'
import { parseDepartments } from '../../src/content/departments.ts'
import { parseDoc } from '../../src/content/load.ts'
import { editionContents, editionOf } from '../../src/markdown/edition.ts'
import { renderParts } from '../../src/markdown/parts.ts'
import { loadProject } from '../../src/project/project.ts'
import { departmentsYml } from '../send/directory-fixtures.ts'
import { makeProject, removeProject } from '../send/helpers.ts'

const head = `---
title: "December: what we are working on"
issue: 15
date: 2026-12-01
summary: "Our priorities and projects."
`

/** `line:col message (rule)` of each problem in an issue with this front matter after the head. */
const problemsOf = (fields: string) => {
  const { file } = parseDoc('content/issues/2026-12.md', `${head}${fields}---\n\n## News\n\nText.\n`, 'issue')
  return collectMessages([file]).map((m) => `${m.line}:${m.column} ${m.message} (${m.rule})`)
}

describe('priorities and project ids in the schema', () => {
  it('reads an ordered list of priorities, and projects with an id and a why', () => {
    const { doc } = parseDoc(
      'content/issues/2026-12.md',
      `${head}priorities:\n  - { title: Backups, why: "Two depots have none.", for: [finance] }\n  - title: Wi-Fi\nprojects:\n  - { id: guest-wifi, name: Wi-Fi, status: delayed, why: "Parts are late." }\n---\n\nText.\n`,
      'issue',
    )
    if (doc?.meta.kind !== 'issue') throw new Error('not an issue')
    expect(doc.meta.priorities).toEqual([{ title: 'Backups', why: 'Two depots have none.', for: ['finance'] }, { title: 'Wi-Fi' }])
    expect(doc.meta.projects).toEqual([{ id: 'guest-wifi', name: 'Wi-Fi', status: 'delayed', why: 'Parts are late.' }])
  })

  it('leaves priorities out when the issue does not say, rather than an empty list', () => {
    const { doc } = parseDoc('content/issues/2026-12.md', `${head}---\n\nText.\n`, 'issue')
    expect(doc?.meta).toMatchObject({ kind: 'issue', projects: [] })
    expect(doc?.meta).not.toHaveProperty('priorities')
  })

  it('reports unknown keys and wrong types at their positions', () => {
    expect(
      problemsOf(
        [
          'priorities:',
          '  - title: Backups',
          '    whyy: "Two depots have none."',
          '  - why: "No title."',
          '  - title: [Wi-Fi]',
          '    for: finance',
          'projects:',
          '  - id: Guest Wi-Fi',
          '    name: Wi-Fi',
          '    status: delayed',
          '    why: [late]',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      '8:5 Unknown key `whyy` in `priorities` (front-matter/unknown-key)',
      '9:5 `title` is required in `priorities` (front-matter/title)',
      '10:12 `title` must be text (front-matter/title)',
      '11:10 `for` must be a list (front-matter/for)',
      '13:9 `id` must be lower-case letters, digits and dashes, got `Guest Wi-Fi` (front-matter/id)',
      '16:10 `why` must be text (front-matter/why)',
    ])
    expect(problemsOf('priorities: Backups first\n')).toEqual(['6:13 `priorities` must be a list (front-matter/priorities)'])
  })
})

describe('priorities for departments', () => {
  const roots: string[] = []
  afterEach(async () => {
    await Promise.all(roots.splice(0).map(removeProject))
  })

  it('reports an unknown department id in a priority at its position', async () => {
    const root = await makeProject({ edit: (text) => text.replace(/^projects:/m, 'priorities:\n  - title: Backups\n    for: [finance, payrol]\nprojects:') })
    roots.push(root)
    await writeFile(join(root, 'content/departments.yml'), departmentsYml)
    const project = await loadProject(root)
    expect(formatText(collectMessages(project.crossFile))).toBe(
      'content/issues/2026-11.md:61:20: error: Unknown department `payrol` (audience/department)\n  Known departments: finance, hr',
    )
  })

  it('keeps in each edition the priorities for everyone and for that department, in their order', () => {
    const departments = parseDepartments('content/departments.yml', departmentsYml).departments!
    const { doc } = parseDoc(
      'content/issues/2026-12.md',
      `${head}priorities:\n  - title: Backups\n  - { title: New expense app, for: [finance] }\n  - { title: Payslips online, for: [hr] }\n  - title: Wi-Fi\n---\n\nText.\n`,
      'issue',
    )
    const parts = renderParts(doc!)
    const priorities = (id?: string) => editionContents(editionOf(parts, id ? departments.byId.get(id) : undefined)).filter((item) => item.startsWith('Priority'))
    expect(priorities('finance')).toEqual(['Priority: Backups', 'Priority: New expense app', 'Priority: Wi-Fi'])
    expect(priorities('hr')).toEqual(['Priority: Backups', 'Priority: Payslips online', 'Priority: Wi-Fi'])
    expect(priorities()).toEqual(['Priority: Backups', 'Priority: Wi-Fi'])
  })
})
