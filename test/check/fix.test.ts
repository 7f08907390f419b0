import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyFixes } from '../../src/check/fix.ts'
import { main } from '../../src/cli.ts'
import { sampleContent } from '../helpers/render.ts'

const repo = join(import.meta.dirname, '../..')
const path = 'content/issues/2026-12.md'
const before = `---
# The month's news. Comments stay as they are.
title: "December: new printers"
issue: 15
date: 2026-12-01
summary: "We will utilize the new printers from Monday."
---

## Printers

In order to print, hold your badge to the reader. We utilized the old ones for years.

<!-- In order to keep this note, it is a comment. -->
<!-- newsletter-disable-next-line plain/simpler -->
You need your badge in order to print.

In the event that the printer is jammed, tell us. It closes a zero-day in the driver.
`
const after = `---
# The month's news. Comments stay as they are.
title: "December: new printers"
issue: 15
date: 2026-12-01
summary: "We will use the new printers from Monday."
---

## Printers

To print, hold your badge to the reader. We utilized the old ones for years.

<!-- In order to keep this note, it is a comment. -->
<!-- newsletter-disable-next-line plain/simpler -->
You need your badge in order to print.

If the printer is jammed, tell us. It closes a zero-day in the driver.
`

describe('check --fix', () => {
  let project: string
  let cwd: string
  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'newsletter-fix-'))
    await cp(sampleContent, join(project, 'content'), { recursive: true })
    await cp(join(repo, 'layouts'), join(project, 'layouts'), { recursive: true })
    cwd = process.cwd()
    process.chdir(project)
  })
  afterAll(async () => {
    process.chdir(cwd)
    await rm(project, { recursive: true, force: true })
  })

  it('replaces the words with one plain replacement in place, in their case, and prints each change', async () => {
    await writeFile(path, before)
    const out: string[] = []
    const code = await main(['check', '--fix', path], { out: (line) => out.push(line), err: () => {} })
    expect(await readFile(path, 'utf8')).toBe(after)
    const printed = out.join('\n')
    expect(printed.split('\n').filter((line) => line.includes(': fixed: '))).toEqual([
      `${path}:6:19: fixed: utilize → use`,
      `${path}:11:1: fixed: In order to → To`,
      `${path}:17:1: fixed: In the event that → If`,
    ])
    // What is left is reported as usual, at its place after the fixes.
    expect(printed).toContain(`${path}:11:45: warning: Prefer plain words: \`utilized\``)
    expect(printed).toContain(`${path}:17:48: warning: \`zero-day\` is IT jargon`)
    expect(code).toBe(0)
    expect((await readdir('content/issues')).filter((name) => name.includes('.tmp'))).toEqual([])
  })

  it('fixes from the findings an earlier check kept in its cache', async () => {
    await rm('.newsletter', { recursive: true, force: true })
    await writeFile(path, before)
    const first: string[] = []
    expect(await main(['check'], { out: (line) => first.push(line), err: () => {} })).toBe(0)
    expect(first.join('\n')).toContain(`${path}:6:19: warning: Prefer plain words: \`utilize\``)
    expect((await readdir('.newsletter/cache/checks')).length).toBeGreaterThan(0)
    const out: string[] = []
    await main(['check', '--fix', path], { out: (line) => out.push(line), err: () => {} })
    expect(await readFile(path, 'utf8')).toBe(after)
    expect(out.filter((line) => line.includes(': fixed: '))).toEqual([
      `${path}:6:19: fixed: utilize → use`,
      `${path}:11:1: fixed: In order to → To`,
      `${path}:17:1: fixed: In the event that → If`,
    ])
  })

  it('prints what a fix would replace in --format json', async () => {
    await writeFile(path, before)
    const out: string[] = []
    await main(['check', '--format', 'json', path], { out: (line) => out.push(line), err: () => {} })
    const messages = JSON.parse(out.join('\n')) as { line: number; column: number; actual?: string; expected?: string[] }[]
    expect(messages.find((m) => m.line === 6 && m.column === 19)).toMatchObject({ actual: 'utilize', expected: ['use'] })
  })

  it('touches nothing but the files it is given', async () => {
    await writeFile(path, before)
    const out: string[] = []
    await main(['check', '--fix', 'content/issues/2026-11.md'], { out: (line) => out.push(line), err: () => {} })
    expect(await readFile(path, 'utf8')).toBe(before)
    expect(out.join('\n')).not.toContain('fixed:')
  })
})

describe('applyFixes', () => {
  it('leaves out an edit whose text is not at its place, and one that overlaps another', () => {
    const edit = (line: number, column: number, actual: string, expected: string) => ({ path: 'a.md', line, column, actual, expected })
    const { text, applied } = applyFixes('one two\nthree four\n', [
      edit(1, 5, 'two', '2'),
      edit(2, 1, 'four', '4'),
      edit(1, 1, 'one two', 'x'),
      edit(2, 7, 'four', '4'),
    ])
    expect(text).toBe('one 2\nthree 4\n')
    expect(applied.map((a) => `${a.line}:${a.column}`)).toEqual(['1:5', '2:7'])
  })
})
