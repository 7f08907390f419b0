import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPipeline } from '../../src/project/pipeline.ts'
import { collectMessages } from '../../src/check/messages.ts'
import { main } from '../../src/cli.ts'
import { loadProject } from '../../src/project/project.ts'
import { tempProject } from '../helpers/project.ts'
import { sampleContent } from '../helpers/render.ts'

const repo = join(import.meta.dirname, '../..')

describe('the checks inside the pipeline', () => {
  it('find no errors in the sample content', async () => {
    const pipeline = await runPipeline(await loadProject(tempProject()), { drafts: true })
    const messages = collectMessages(pipeline.files)
    expect(messages.filter((m) => m.severity === 'error')).toEqual([])
    expect(pipeline.emails.map((email) => email.slug)).toEqual(['2026-09', '2026-10', '2026-11', '2026-10-14-vpn-outage'])
  })

  it("reports a file's front-matter errors and its body's writing findings together", async () => {
    const project = tempProject()
    const path = 'content/issues/2026-12.md'
    await writeFile(join(project, path), '---\ntitle: December\nissue: 40\ndate: 2026-12-01\nsumary: Typo.\n---\n\nPlease restart every endpoint tonight.\n')
    const out: string[] = []
    expect(await main(['check', path], { out: (text) => out.push(text), err: (text) => out.push(text) }, project)).toBe(1)
    const lines = out
      .join('\n')
      .split('\n')
      .filter((line) => line.startsWith(path))
    expect(lines).toEqual([
      `${path}:2:1: error: \`summary\` is required (front-matter/summary)`,
      `${path}:5:1: error: Unknown key \`sumary\` (front-matter/unknown-key)`,
      `${path}:8:22: warning: \`endpoint\` is IT jargon: say laptop, desktop or phone (plain/jargon)`,
    ])
    await rm(project, { recursive: true, force: true })
  })

  describe('build', () => {
    let project: string
    beforeAll(async () => {
      project = await mkdtemp(join(tmpdir(), 'newsletter-checks-'))
      await cp(sampleContent, join(project, 'content'), { recursive: true })
      await cp(join(repo, 'layouts'), join(project, 'layouts'), { recursive: true })
    })
    afterAll(async () => {
      await rm(project, { recursive: true, force: true })
    })

    it('stops on a check error, prints it with its position, and writes nothing', async () => {
      const path = 'content/issues/2026-10.md'
      const text = await readFile(join(project, path), 'utf8')
      await writeFile(join(project, path), `${text}\nSee [the August issue](/issues/2026-08/).\n`)
      const line = text.split('\n').length + 1
      const err: string[] = []
      const code = await main(['build'], { out: () => {}, err: (line) => err.push(line) }, project)
      expect(code).toBe(1)
      expect(err.join('\n')).toContain(`${path}:${line}:5: error: \`/issues/2026-08/\` links to issues/2026-08, which does not exist (links/issue)`)
      expect(existsSync(join(project, 'dist'))).toBe(false)
    })
  })
})
