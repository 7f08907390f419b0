import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPipeline } from '../../src/project/pipeline.ts'
import { collectMessages } from '../../src/check/messages.ts'
import { buildEmail } from '../../src/email/build-email.ts'
import { renderParts } from '../../src/markdown/parts.ts'
import { loadProject, projectDocs } from '../../src/project/project.ts'
import { tempProject } from '../helpers/project.ts'

// Enough issues that the pipeline compiles MJML on worker threads.
const count = 24
let root: string

beforeAll(async () => {
  root = tempProject()
  const text = await readFile(join(root, 'content', 'issues', '2026-10.md'), 'utf8')
  for (let i = 1; i <= count; i++) {
    await writeFile(
      join(root, 'content', 'issues', `2030-${String(i).padStart(2, '0')}.md`),
      text.replace(/^issue: \d+$/m, `issue: ${100 + i}`).replace(/^title: .*$/m, `title: "Issue ${i}"`),
    )
  }
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('a pass over many documents', () => {
  it('compiles on worker threads exactly the emails this thread would', async () => {
    const project = await loadProject(root)
    const pipeline = await runPipeline(project, { drafts: true })
    expect(pipeline.emails).toHaveLength(count + 4)
    const doc = projectDocs(project).find((d) => d.slug === '2030-07')!
    const here = await buildEmail(renderParts(doc, { locale: project.config!.settings.language }), project.config!.settings, project.layouts!)
    expect(pipeline.emails.find((email) => email.slug === '2030-07')).toEqual(here)
  })

  it('reports an MJML mistake found on a worker at its layout line, once', async () => {
    const footer = join(root, 'layouts', 'email', 'footer.mjml')
    const original = await readFile(footer, 'utf8')
    const lines = original.split('\n')
    const line = lines.findIndex((text) => text.includes('<mj-text')) + 1
    lines[line - 1] = lines[line - 1]!.replace('<mj-text', '<mj-text colour="red"')
    await writeFile(footer, lines.join('\n'))
    const pipeline = await runPipeline(await loadProject(root), { drafts: true })
    const errors = collectMessages(pipeline.files).filter((m) => m.severity === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ file: 'layouts/email/footer.mjml', line, rule: 'layout/mjml' })
    expect(errors[0]!.message).toMatch(/^MJML: <mj-text>: Attribute colour is illegal/)
    await writeFile(footer, original)
  })
})
