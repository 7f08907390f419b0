import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPipeline } from '../../src/project/pipeline.ts'
import { collectMessages } from '../../src/check/report.ts'
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
