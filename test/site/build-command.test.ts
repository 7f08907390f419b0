import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli.ts'
import { tempProject } from '../helpers/project.ts'

const root = tempProject()
const out = await mkdtemp(join(tmpdir(), 'newsletter-build-'))
afterAll(async () => {
  await rm(out, { recursive: true, force: true })
  await rm(root, { recursive: true, force: true })
})

async function build(): Promise<{ code: number; said: string }> {
  const said: string[] = []
  const code = await main(['build', '--out', out], { out: (text) => said.push(text), err: (text) => said.push(text) }, root)
  return { code, said: said.join('\n') }
}

describe('newsletter build', () => {
  it('writes the emails and the archive site into --out, skips a build when nothing changed, and replaces the site whole when something did', async () => {
    const first = await build()
    expect(first.code).toBe(0)
    expect(first.said).toMatch(new RegExp(`Built 4 emails into ${out}/email and \\d+ archive pages into ${out}/site`))
    const email = await readFile(join(out, 'email', '2026-10.html'), 'utf8')
    expect(await readFile(join(out, 'site', 'email', '2026-10', 'index.html'), 'utf8')).toBe(email)
    expect(await readFile(join(out, 'site', 'issues', '2026-10', 'index.html'), 'utf8')).toContain(
      '<h1>October: Cybersecurity Awareness Month and a VPN hiccup</h1>',
    )
    const written = (await stat(join(out, 'site', 'index.html'))).mtimeMs

    const unchanged = await build()
    expect(unchanged.code).toBe(0)
    expect(unchanged.said).toMatch(
      new RegExp(`^Nothing changed since the last build: the 4 emails in ${out}/email and \\d+ archive pages in ${out}/site are up to date`, 'm'),
    )
    expect((await stat(join(out, 'site', 'index.html'))).mtimeMs).toBe(written)

    const issue = join(root, 'content', 'issues', '2026-10.md')
    await writeFile(issue, `${await readFile(issue, 'utf8')}\nA line added after the first build.\n`)
    // Only approved content is published: the edit goes out once it is approved again.
    expect(await main(['approve', '2026-10', '--by', 'Test Approver'], { out: () => undefined, err: () => undefined }, root)).toBe(0)
    const second = await build()
    expect(second.said).toMatch(/^Built 4 emails/m)
    expect(await readFile(join(out, 'email', '2026-10.txt'), 'utf8')).toContain('A line added after the first build.')
    // Only the two outputs remain: no temporary or old site folder is left beside them.
    expect((await readdir(out)).sort()).toEqual(['email', 'site'])
  })
})
