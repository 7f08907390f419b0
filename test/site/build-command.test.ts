import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli.ts'

const out = await mkdtemp(join(tmpdir(), 'newsletter-build-'))
afterAll(async () => {
  await rm(out, { recursive: true, force: true })
})

async function build(): Promise<{ code: number; said: string }> {
  const said: string[] = []
  const code = await main(['build', '--out', out], { out: (text) => said.push(text), err: (text) => said.push(text) })
  return { code, said: said.join('\n') }
}

describe('newsletter build', () => {
  it('writes the emails and the archive site into --out, and replaces the site whole on the next build', async () => {
    const first = await build()
    expect(first.code).toBe(0)
    expect(first.said).toMatch(new RegExp(`Built 4 emails into ${out}/email and \\d+ archive pages into ${out}/site`))
    const email = await readFile(join(out, 'email', '2026-10.html'), 'utf8')
    expect(await readFile(join(out, 'site', 'email', '2026-10', 'index.html'), 'utf8')).toBe(email)
    expect(await readFile(join(out, 'site', 'issues', '2026-10', 'index.html'), 'utf8')).toContain('<h1>October: Cybersecurity Awareness Month and a VPN hiccup</h1>')
    const second = await build()
    expect(second.code).toBe(0)
    // Only the two outputs remain: no temporary or old site folder is left beside them.
    expect((await readdir(out)).sort()).toEqual(['email', 'site'])
  })
})
