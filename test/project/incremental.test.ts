import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, tempProject, type CliResult } from '../helpers/project.ts'
import { spawnCli } from '../send/helpers.ts'

// A build after a change keeps what the change cannot reach (documents, pages) from the last build. Whatever it kept,
// its output must be exactly that of a build from nothing: after each kind of change, the same inputs are copied into
// a fresh folder and built there, and both dist/ folders and both reports are compared byte for byte.

/** Every file under a folder, by path, with its bytes. */
function tree(dir: string): Map<string, Buffer> {
  const names = (readdirSync(dir, { recursive: true }) as string[]).filter((name) => statSync(join(dir, name)).isFile())
  return new Map(names.sort().map((name) => [name, readFileSync(join(dir, name))]))
}

/** What a build printed, without the folder it ran in, its time or how much it redid. */
function report(text: string, dir: string): string {
  return text
    .replaceAll(dir, '<project>')
    .replace(/ in [\d.]+s \(/, ' in <time> (')
    .replace(/\d+ of \d+ documents and \d+ of \d+ archive files redone; /, '')
}

describe('a build after a change', () => {
  let project: string
  const fresh: string[] = []

  beforeAll(async () => {
    project = tempProject()
    expect((await runCli(project, ['build'])).code).toBe(0)
  })
  afterAll(() => {
    for (const dir of [project, ...fresh]) rmSync(dir, { recursive: true, force: true })
  })

  /**
   * Build `project` after a change, and a copy of its inputs from nothing; both must come out the same. `build` runs
   * in this process unless `inProcess` is false: Eleventy keeps each site layout it read for as long as its process
   * lives, so a changed site layout is seen only by a new process, as each `newsletter build` is.
   */
  async function buildBoth(inProcess = true): Promise<{ said: string; kept: (file: string) => number }> {
    const build = async (dir: string): Promise<CliResult> => (inProcess ? runCli(dir, ['build']) : spawnCli(['build'], { cwd: dir }))
    const before = new Map([...tree(join(project, 'dist', 'site')).keys()].map((file) => [file, statSync(join(project, 'dist', 'site', file)).ino]))
    const incremental = await build(project)
    const clean = mkdtempSync(join(tmpdir(), 'newsletter-clean-'))
    fresh.push(clean)
    cpSync(join(project, 'content'), join(clean, 'content'), { recursive: true })
    cpSync(join(project, 'layouts'), join(clean, 'layouts'), { recursive: true })
    const scratch = await build(clean)
    expect(incremental.code).toBe(0)
    expect(scratch.code).toBe(0)
    expect(report(incremental.stdout, project)).toBe(report(scratch.stdout, clean))
    expect(report(incremental.stderr, project)).toBe(report(scratch.stderr, clean))
    const [ours, theirs] = [tree(join(project, 'dist')), tree(join(clean, 'dist'))]
    expect([...ours.keys()]).toEqual([...theirs.keys()])
    for (const [file, bytes] of ours) expect(bytes.equals(theirs.get(file)!), file).toBe(true)
    // Whether a page was kept (hard-linked: the same file as before) or written again
    const kept = (file: string) => (before.get(file) === statSync(join(project, 'dist', 'site', file)).ino ? 1 : 0)
    return { said: incremental.stdout, kept }
  }

  function edit(file: string, change: (text: string) => string): void {
    const path = join(project, file)
    writeFileSync(path, change(readFileSync(path, 'utf8')))
  }

  async function approve(slug: string): Promise<void> {
    expect((await runCli(project, ['approve', slug, '--by', 'Robin Reviewer'])).code).toBe(0)
  }

  it('after a body edit: reads one document again and renders only the pages that show it', async () => {
    edit('content/issues/2026-10.md', (text) => `${text}\nOne more paragraph, added after the first build.\n`)
    await approve('2026-10')
    const { said, kept } = await buildBoth()
    expect(said).toMatch(/\(1 of 4 documents and \d+ of \d+ archive files redone; /)
    expect(kept('issues/2026-10/index.html')).toBe(0)
    expect(kept('issues/2026-11/index.html')).toBe(1)
    expect(kept('threats/index.html')).toBe(1)
  })

  it('after a title edit: the neighbours and lists that name it are rendered again', async () => {
    edit('content/issues/2026-09.md', (text) => text.replace(/^title: .*$/m, 'title: "September, renamed"'))
    await approve('2026-09')
    const { said, kept } = await buildBoth()
    expect(said).toMatch(/\(1 of 4 documents and /)
    expect(kept('issues/2026-10/index.html')).toBe(0)
    expect(kept('index.html')).toBe(0)
    expect(kept('notices/2026-10-14-vpn-outage/index.html')).toBe(1)
  })

  it('after a new issue', async () => {
    writeFileSync(
      join(project, 'content/issues/2026-12.md'),
      readFileSync(join(project, 'content/issues/2026-11.md'), 'utf8')
        .replace(/^issue: .*$/m, 'issue: 99')
        .replace(/^date: .*$/m, 'date: 2026-12-01'),
    )
    await approve('2026-12')
    await buildBoth()
  })

  it('after a deleted issue', async () => {
    rmSync(join(project, 'content/issues/2026-12.md'))
    await buildBoth()
  })

  it('after a settings change', async () => {
    edit('content/settings.yml', (text) => text.replace(/^organisation: .*$/m, 'organisation: "Renamed Ltd"'))
    await buildBoth()
  })

  it('after a site layout change', { tags: ['process'], timeout: 120_000 }, async () => {
    edit('layouts/site/base.liquid', (text) => text.replace('<footer', '<footer data-changed="yes"'))
    await buildBoth(false)
    expect(readFileSync(join(project, 'dist/site/threats/index.html'), 'utf8')).toContain('data-changed="yes"')
  })

  it('after an email layout change', async () => {
    const layouts = readdirSync(join(project, 'layouts/email'))
    expect(layouts).toContain('issue.mjml')
    edit('layouts/email/issue.mjml', (text) => text.replace('</mj-body>', '<mj-raw><!-- changed --></mj-raw></mj-body>'))
    await buildBoth()
    expect(readFileSync(join(project, 'dist/email/2026-11.html'), 'utf8')).toContain('<!-- changed -->')
  })
})
