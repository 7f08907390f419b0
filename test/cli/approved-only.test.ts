import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli, tempProject } from '../helpers/project.ts'

const roots: string[] = []
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

function project(): string {
  const root = tempProject()
  roots.push(root)
  return root
}

/** Every file under dist/ whose bytes contain `text`. */
function filesContaining(root: string, text: string): string[] {
  const dist = join(root, 'dist')
  return readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && readFileSync(join(entry.parentPath, entry.name)).includes(text))
    .map((entry) => join(entry.parentPath, entry.name).slice(dist.length + 1))
}

const printers = `---
title: "Printers: nobody can print"
date: 2026-12-01
status: review
summary: "Printing is down on every floor."
service: Printing
state: identified
next_update: 2026-12-01T10:30
impact: "Nobody can print."
updates:
  - time: 2026-12-01T09:00
    state: investigating
    text: "We are looking into it."
  - time: 2026-12-01T09:40
    state: identified
    text: "A driver update broke the print server; rolling it back."
---
`

describe('only approved content is published', () => {
  it('keeps an approved notice on /status/ as approved while a newer update awaits approval', async () => {
    const root = project()
    const path = join(root, 'content/notices/2026-12-01-printers.md')
    writeFileSync(path, printers)
    expect((await runCli(root, ['approve', '2026-12-01-printers', '--by', 'Dana Whitfield'])).code).toBe(0)
    const update = ['update', '2026-12-01-printers', '--state', 'monitoring', '--text', 'UNAPPROVED-REVISION text', '--next-update', '2026-12-02T23:00']
    expect((await runCli(root, update)).code).toBe(0)

    const built = await runCli(root, ['build'])
    expect(built.code).toBe(0)
    const line = readFileSync(path, 'utf8').split('\n').indexOf('  - time: 2026-12-01T09:40') + 4
    expect(built.stderr).toContain(
      `content/notices/2026-12-01-printers.md:${line}:5: warning: 2026-12-01-printers is published as approved, with 2 of its 3 updates: update 3 was added after it, not approved yet`,
    )
    expect(filesContaining(root, 'UNAPPROVED-REVISION')).toEqual([])
    expect(filesContaining(root, '2026-12-02T23:00')).toEqual([])
    const status = JSON.parse(readFileSync(join(root, 'dist/site/status.json'), 'utf8')) as { slug: string; state: string; next_update?: string }[]
    expect(status.find((notice) => notice.slug === '2026-12-01-printers')).toMatchObject({ state: 'identified', next_update: '2026-12-01T10:30:00.000Z' })
    const page = readFileSync(join(root, 'dist/site/status/index.html'), 'utf8')
    expect(page).toContain('Printers: nobody can print')
    expect(page).not.toContain('Monitoring')
    expect(readFileSync(join(root, 'dist/email/2026-12-01-printers.txt'), 'utf8')).toContain('rolling it back')

    // check and the build say the same: what changed, and that send refuses it until it is approved again.
    const checked = await runCli(root, ['check', 'content/notices/2026-12-01-printers.md'])
    expect(checked.stdout).toMatch(
      /warning: Changed since approval by Dana Whitfield at [\d-]+T[\d:]+: update 3 was added after it; until it is approved again/,
    )

    // Approved again, the new revision is published.
    expect((await runCli(root, ['approve', '2026-12-01-printers', '--by', 'Dana Whitfield'])).code).toBe(0)
    expect((await runCli(root, ['build'])).code).toBe(0)
    expect(filesContaining(root, 'UNAPPROVED-REVISION')).toContain('email/2026-12-01-printers.txt')
  }, 240_000)

  it('publishes the latest revision when notices.approval is optional', async () => {
    const root = project()
    appendFileSync(join(root, 'content/settings.yml'), 'notices: { approval: optional }\n')
    writeFileSync(join(root, 'content/notices/2026-12-01-printers.md'), printers)
    expect((await runCli(root, ['approve', '2026-12-01-printers', '--by', 'Dana Whitfield'])).code).toBe(0)
    expect((await runCli(root, ['update', '2026-12-01-printers', '--state', 'monitoring', '--text', 'LATEST-REVISION text'])).code).toBe(0)
    expect((await runCli(root, ['build'])).code).toBe(0)
    expect(filesContaining(root, 'LATEST-REVISION')).toContain('email/2026-12-01-printers.txt')
  }, 240_000)

  it('leaves out an issue edited after approval, naming the file and what changed', async () => {
    const root = project()
    const path = join(root, 'content/issues/2026-11.md')
    expect((await runCli(root, ['approve', '2026-11', '--by', 'Dana Whitfield'])).code).toBe(0)
    // The sample was approved before approvals recorded their parts: approving again as it is changes nothing.
    writeFileSync(path, readFileSync(path, 'utf8').replace('status: approved', 'status: review'))
    expect((await runCli(root, ['approve', '2026-11', '--by', 'Dana Whitfield'])).code).toBe(0)
    writeFileSync(path, readFileSync(path, 'utf8').replace('184 of you did', 'UNAPPROVED-EDIT of you did'))
    const digestLine =
      readFileSync(path, 'utf8')
        .split('\n')
        .findIndex((text) => text.startsWith('approved_digest:')) + 1

    const built = await runCli(root, ['build'])
    expect(built.code).toBe(0)
    expect(built.stderr).toMatch(
      new RegExp(
        `content/issues/2026-11\\.md:${digestLine}:18: warning: 2026-11 changed since approval by Dana Whitfield at [\\d-]+T[\\d:]+: the body changed: left out until it is approved again`,
      ),
    )
    expect(built.stdout).toMatch(/^Built 3 emails/)
    expect(filesContaining(root, 'UNAPPROVED-EDIT')).toEqual([])
    expect(filesContaining(root, 'KB5046617')).toEqual([])

    writeFileSync(path, readFileSync(path, 'utf8').replace('title: "November:', 'title: "Changed November:'))
    expect((await runCli(root, ['check', 'content/issues/2026-11.md'])).stdout).toMatch(
      /warning: Changed since approval by Dana Whitfield at [\d-]+T[\d:]+: `title` changed;/,
    )
  }, 240_000)

  it('leaves out a document marked approved by hand, without a digest', async () => {
    const root = project()
    const path = join(root, 'content/issues/2026-11.md')
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^approved_digest:.*\n/m, ''))
    const built = await runCli(root, ['build'])
    expect(built.stderr).toContain(
      'content/issues/2026-11.md:5:9: warning: 2026-11 says approved but has no approved_digest, so nobody can tell what was approved: left out',
    )
    expect(filesContaining(root, 'KB5046617')).toEqual([])
  }, 240_000)
})
