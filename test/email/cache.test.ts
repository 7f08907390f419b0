import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approveText } from '../../src/content/approval.ts'
import { runPipeline } from '../../src/project/pipeline.ts'
import { loadProject } from '../../src/project/project.ts'
import { sampleContent } from '../helpers/render.ts'

const repo = join(import.meta.dirname, '..', '..')
const build = async () => runPipeline(await loadProject(root), { cacheDir })
let root: string
let cacheDir: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsletter-cache-'))
  await cp(sampleContent, join(root, 'content'), { recursive: true })
  await cp(join(repo, 'layouts'), join(root, 'layouts'), { recursive: true })
  cacheDir = join(root, '.newsletter', 'cache')
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

// Mark every cached email, so a build that reuses the cache can be told from one that compiles again.
async function markCache(): Promise<void> {
  for (const name of await readdir(join(cacheDir, 'email'))) {
    const file = join(cacheDir, 'email', name)
    const email = JSON.parse(await readFile(file, 'utf8')) as { html: string }
    await writeFile(file, JSON.stringify({ ...email, html: `${email.html}<!--cached-->` }))
  }
}

describe('email cache', () => {
  it('reuses an email only while its document, the layouts and the settings are unchanged', async () => {
    const first = await build()
    expect(await readdir(join(cacheDir, 'email'))).toHaveLength(first.emails.length)
    await markCache()
    const second = await build()
    expect(second.emails.map((email) => email.html.endsWith('<!--cached-->'))).toEqual(first.emails.map(() => true))

    const changed = join(root, 'content', 'issues', '2026-10.md')
    // Edited and approved again: the build publishes only approved content.
    await writeFile(changed, approveText(`${await readFile(changed, 'utf8')}\nA sentence added later.\n`, { by: 'Dana Whitfield', at: '2026-11-30T10:00' }))
    const third = await build()
    const cached = (slug: string) => third.emails.find((email) => email.slug === slug)!.html.endsWith('<!--cached-->')
    expect(cached('2026-10')).toBe(false)
    expect(third.emails.find((email) => email.slug === '2026-10')!.html).toContain('A sentence added later.')
    expect(cached('2026-09')).toBe(true)
    // The entry for the old text of 2026-10 is gone: one build's worth is kept.
    expect(await readdir(join(cacheDir, 'email'))).toHaveLength(first.emails.length)

    const footer = join(root, 'layouts', 'email', 'footer.mjml')
    await writeFile(footer, (await readFile(footer, 'utf8')).replace('How to reach IT', 'How to reach the IT team'))
    const fourth = await build()
    expect(fourth.emails.every((email) => !email.html.endsWith('<!--cached-->') && email.html.includes('How to reach the IT team'))).toBe(true)
  })

  it('reuses check findings only while the document, glossary, settings, layouts and pages are unchanged', async () => {
    await build()
    // Plant a finding in every cached entry: a build that reuses the cache reports it, one that checks again does not.
    const planted = { file: '', line: 1, column: 1, severity: 'warning', message: 'planted', rule: 'plain/jargon', hint: 'cached' }
    for (const name of await readdir(join(cacheDir, 'checks'))) {
      const file = join(cacheDir, 'checks', name)
      await writeFile(file, JSON.stringify([...JSON.parse(await readFile(file, 'utf8')), planted]))
    }
    const reusing = (files: { messages: { reason: string }[] }[]) => files.filter((file) => file.messages.some((m) => m.reason === 'planted')).length
    expect(reusing((await build()).files)).toBe(4)
    const issue = join(root, 'content', 'issues', '2026-09.md')
    await writeFile(issue, `${await readFile(issue, 'utf8')}\nOne more line.\n`)
    expect(reusing((await build()).files)).toBe(3)
    const glossary = join(root, 'content', 'glossary.yml')
    await writeFile(glossary, `${await readFile(glossary, 'utf8')}\n`)
    expect(reusing((await build()).files)).toBe(0)
  })
})
