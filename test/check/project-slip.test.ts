import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { collectMessages } from '../../src/check/messages.ts'
import { runPipeline } from '../../src/project/pipeline.ts'
import { loadProject } from '../../src/project/project.ts'
import { repo, sampleContent } from '../helpers/render.ts'

let root: string
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

/** An issue numbered `n` with these `projects:` lines (each indented two spaces). */
const issue = (n: number, projects: string) => `---
title: "Issue ${n}: projects"
issue: ${n}
date: 2026-0${n}-02
summary: "Where the projects stand."
projects:
${projects}
---

## News

Nothing else this month.
`

/** The `sense/project-slip` messages of `check` on a project of these issues (`only`: read and check only that file). */
async function slips(issues: Record<string, string>, only?: string): Promise<string[]> {
  root = await mkdtemp(join(tmpdir(), 'newsletter-slip-'))
  await mkdir(join(root, 'content', 'issues'), { recursive: true })
  for (const name of ['settings.yml', 'glossary.yml']) await copyFile(join(sampleContent, name), join(root, 'content', name))
  await symlink(join(repo, 'layouts'), join(root, 'layouts'))
  for (const [slug, text] of Object.entries(issues)) await writeFile(join(root, 'content', 'issues', `${slug}.md`), text)
  const project = await loadProject(root, only ? { only: (source) => source.slug === only } : {})
  const pipeline = await runPipeline(project, { drafts: true, checks: { today: new Date('2026-03-01T12:00:00Z') } })
  return collectMessages(pipeline.files)
    .filter((message) => message.rule === 'sense/project-slip')
    .map((message) => `${message.file}:${message.line}:${message.column}: ${message.message}`)
}

const before = issue(
  1,
  ['  - id: wifi', '    name: Guest Wi-Fi', '    status: on-track', '    eta: 2026-04', '  - name: Laptops', '    status: planned', '    eta: 2026-05-20'].join(
    '\n',
  ),
)

describe('sense/project-slip', () => {
  it('warns at the project when its status got worse and `why` is empty', async () => {
    const now = issue(
      2,
      [
        '  - name: Laptops',
        '    status: planned',
        '    eta: 2026-05-20',
        '  - id: wifi',
        '    name: Guest Wi-Fi upgrade',
        '    status: at-risk',
        '    eta: 2026-04',
      ].join('\n'),
    )
    expect(await slips({ '2026-01': before, '2026-02': now })).toEqual([
      'content/issues/2026-02.md:10:5: The project `Guest Wi-Fi upgrade` went from on track to at risk since 2026-01, but does not say why',
    ])
  })

  it('is quiet once `why` says what went wrong and the plan', async () => {
    const now = issue(
      2,
      ['  - id: wifi', '    name: Guest Wi-Fi', '    status: delayed', '    eta: 2026-06', '    why: "The supplier is late; we ordered from another."'].join(
        '\n',
      ),
    )
    expect(await slips({ '2026-01': before, '2026-02': now })).toEqual([])
  })

  it('warns when the expected date moves later, a month against a date by its month', async () => {
    const now = issue(
      2,
      [
        '  - id: wifi',
        '    name: Guest Wi-Fi',
        '    status: on-track',
        '    eta: 2026-04-30',
        '  - name: laptops',
        '    status: planned',
        '    eta: 2026-06',
      ].join('\n'),
    )
    expect(await slips({ '2026-01': before, '2026-02': now })).toEqual([
      'content/issues/2026-02.md:11:5: The project `laptops` is expected 2026-06 instead of 2026-05-20 since 2026-01, but does not say why',
    ])
  })

  it('names both when the status got worse and the date moved, and compares with the issue numbered just before', async () => {
    const middle = issue(2, ['  - id: wifi', '    name: Guest Wi-Fi', '    status: at-risk', '    eta: 2026-04', '    why: "Parts are late."'].join('\n'))
    const now = issue(3, ['  - id: wifi', '    name: Guest Wi-Fi', '    status: delayed', '    eta: 2026-05'].join('\n'))
    expect(await slips({ '2026-01': before, '2026-02': middle, '2026-03': now })).toEqual([
      'content/issues/2026-03.md:7:5: The project `Guest Wi-Fi` went from at risk to delayed and is expected 2026-05 instead of 2026-04 since 2026-02, but does not say why',
    ])
  })

  it('does not warn for a better status, an earlier date, a finished project or a new one', async () => {
    const now = issue(
      2,
      [
        '  - id: wifi',
        '    name: Guest Wi-Fi',
        '    status: done',
        '    eta: 2026-09',
        '  - name: Laptops',
        '    status: on-track',
        '    eta: 2026-05-01',
        '  - name: Printers',
        '    status: delayed',
      ].join('\n'),
    )
    expect(await slips({ '2026-01': before, '2026-02': now })).toEqual([])
  })

  it('compares with the issue before when only this file is checked (`check FILE`)', async () => {
    const now = issue(2, ['  - id: wifi', '    name: Guest Wi-Fi', '    status: delayed'].join('\n'))
    expect(await slips({ '2026-01': before, '2026-02': now }, '2026-02')).toEqual([
      'content/issues/2026-02.md:7:5: The project `Guest Wi-Fi` went from on track to delayed since 2026-01, but does not say why',
    ])
  })

  it('is silenced on its line by a disable comment', async () => {
    const now = issue(2, ['  # newsletter-disable-next-line sense/project-slip', '  - id: wifi', '    name: Guest Wi-Fi', '    status: delayed'].join('\n'))
    expect(await slips({ '2026-01': before, '2026-02': now })).toEqual([])
  })
})
