import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli.ts'
import { approvalOf, openDocument } from '../../src/project/open-document.ts'
import { approveText } from '../../src/content/approval.ts'
import { parseDoc } from '../../src/content/load.ts'
import { tempProject } from '../helpers/project.ts'

async function run(root: string, ...argv: string[]) {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (text) => void (out += `${text}\n`), err: (text) => void (err += `${text}\n`) }, root)
  return { code, out, err }
}

// Every command that acts on one document reaches it through openDocument, so they answer alike.
const commands: string[][] = [['approve', '--by', 'Jane Doe'], ['post'], ['send', '--to', 'ann@example.com', '--dry-run']]

describe('one way in to a document', () => {
  let root: string
  beforeAll(() => {
    root = tempProject()
    // A notice with an issue's slug: two pages would claim one name.
    cpSync(join(root, 'content/notices/2026-10-14-vpn-outage.md'), join(root, 'content/notices/2026-10.md'))
  })
  afterAll(async () => rm(root, { recursive: true, force: true }))

  it.each(commands)('`%s` refuses an ambiguous slug naming both files, exit 2', async (name, ...flags) => {
    const result = await run(root, name!, '2026-10', ...flags)
    expect(result.code).toBe(2)
    expect(result.err).toBe(
      'error: Both content/issues/2026-10.md and content/notices/2026-10.md are named 2026-10\n  Rename one of them: a slug names one page of the archive\n',
    )
  })

  it.each(commands)('`%s` refuses a missing slug as a usage error with the closest name, exit 2', async (name, ...flags) => {
    const result = await run(root, name!, '2026-11x', ...flags)
    expect(result.code).toBe(2)
    expect(result.err).toBe('error: No issue or notice named `2026-11x`\n  Did you mean `2026-11`?\n')
  })

  it('prints the document errors with their places, then what was not done', async () => {
    const path = join(root, 'content/issues/2026-09.md')
    const text = readFileSync(path, 'utf8')
    writeFileSync(path, text.replace(/^date: .*$/m, 'date: Nov 3'))
    try {
      const line = text.split('\n').findIndex((row) => row.startsWith('date:')) + 1
      for (const [name, refusal, code] of [
        ['approve', 'Not approved', 1],
        ['post', 'Not posted', 1],
        ['send', 'Nothing was sent', 2],
      ] as const) {
        const flags = name === 'approve' ? ['--by', 'Jane Doe'] : name === 'send' ? ['--to', 'ann@example.com'] : []
        const result = await run(root, name, '2026-09', ...flags)
        expect(result.code).toBe(code)
        expect(result.err).toMatch(
          new RegExp(
            `^content/issues/2026-09\\.md:${line}:7: error: .*\\(front-matter/date\\)\\n[\\s\\S]*error: ${refusal}: fix the errors above first\\.\\n$`,
          ),
        )
      }
    } finally {
      writeFileSync(path, text)
    }
  })

  it('prints loading warnings for every command, not only some', async () => {
    const path = join(root, 'content/issues/2026-11.md')
    const text = readFileSync(path, 'utf8')
    // Saved by an old Windows editor: Windows-1252, which is read with a warning.
    writeFileSync(path, Buffer.from(text.replace('## ', '## Café: '), 'latin1'))
    try {
      // approve last: it writes the file back as UTF-8
      for (const [name, ...flags] of [...commands].reverse()) {
        const result = await run(root, name!, '2026-11', ...flags)
        expect(result.err).toContain('content/issues/2026-11.md:1:1: warning: The file is not UTF-8; it was read as Windows-1252 (content/encoding)')
      }
    } finally {
      writeFileSync(path, text)
    }
  })

  it('knows the address, revision, send key and approval state of what it opens', async () => {
    const notice = await openDocument(root, '2026-10-14-vpn-outage', { kind: 'notice', refusal: 'Not opened' })
    expect(notice.address.page).toBe('notices/2026-10-14-vpn-outage/')
    expect(notice.revision).toBe(notice.doc.meta.kind === 'notice' ? notice.doc.meta.updates.length : 0)
    expect(notice.sendKey).toBe(`2026-10-14-vpn-outage.r${notice.revision}`)

    const issue = await openDocument(root, '2026-11', { refusal: 'Not opened' })
    expect(issue.revision).toBe(1)
    const approved = approveText(issue.text, { by: 'Jane Doe', at: '2026-11-02T09:00' })
    const parse = (text: string) => parseDoc(issue.doc.path, text, 'issue').doc!
    expect(approvalOf(parse(approved))).toMatchObject({ state: 'approved', by: 'Jane Doe' })
    expect(approvalOf(parse(`${approved}\nOne more line.\n`))).toMatchObject({ state: 'changed', by: 'Jane Doe' })
    expect(approvalOf({ ...issue.doc, meta: { ...issue.doc.meta, status: 'review', approved_digest: undefined } })).toMatchObject({
      state: 'unapproved',
    })
  })
})
