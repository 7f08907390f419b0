import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { collectMessages } from '../../src/check/messages.ts'
import { contentDigest } from '../../src/content/approval.ts'
import { checkIssueNumbers, parseDoc } from '../../src/content/load.ts'

const valid = ['title: November', 'issue: 14', 'date: 2026-11-03', 'summary: One sentence.']

function problems(frontMatter: string[], kind: 'issue' | 'notice' = 'issue', body = 'Body\n') {
  const { file, doc } = parseDoc('content/issues/2026-11.md', `---\n${frontMatter.join('\n')}\n---\n${body}`, kind)
  return { doc, messages: collectMessages([file]).map(({ line, column, message, rule, hint }) => ({ at: `${line}:${column}`, message, rule, hint })) }
}

describe('front matter validation', () => {
  it('accepts a valid issue and fills defaults', () => {
    const { doc, messages } = problems(valid)
    expect(messages).toEqual([])
    expect(doc?.meta).toMatchObject({ kind: 'issue', title: 'November', issue: 14, status: 'draft', tags: [], patches: [] })
  })

  it('points at a badly written date and says how to write it', () => {
    const { messages } = problems(['title: November', 'issue: 14', 'date: Nov 3', 'summary: S'])
    expect(messages).toEqual([
      { at: '4:7', message: '`date` must be a date written YYYY-MM-DD, got `Nov 3`', rule: 'front-matter/date', hint: 'Write it like 2026-11-03' },
    ])
  })

  it('rejects dates that do not exist', () => {
    expect(problems(['title: T', 'issue: 1', 'date: 2026-02-30', 'summary: S']).messages[0]?.at).toBe('4:7')
  })

  it('reports an unknown key with a did-you-mean hint, and the missing key it was meant to be', () => {
    const { messages } = problems(['title: T', 'issue: 1', 'date: 2026-11-03', 'summry: S'])
    expect(messages).toEqual([
      { at: '2:1', message: '`summary` is required', rule: 'front-matter/summary', hint: 'Add a line `summary: …`' },
      { at: '5:1', message: 'Unknown key `summry`', rule: 'front-matter/unknown-key', hint: 'Did you mean `summary`?' },
    ])
  })

  it('points inside nested lists at the offending value', () => {
    const { messages } = problems([...valid, 'patches:', '  - title: A', '    severity: critcal', '    cves: [CVE-2026-21345, CVE-2026-1]', '    restart: yes please', '    rollout: 2026-11-14/2026-11-12'])
    expect(messages.map(({ at, rule }) => `${at} ${rule}`)).toEqual([
      '8:15 front-matter/severity',
      '9:28 front-matter/cves',
      '10:14 front-matter/restart',
      '11:14 front-matter/rollout',
    ])
    expect(messages[0]?.hint).toBe('Did you mean `critical`?')
  })

  it('reports the first YAML syntax error at its position', () => {
    const { messages } = problems(['title: T', 'issue: 1', '  date: 2026-11-03', 'summary: S'])
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({ at: '3:8', rule: 'front-matter/yaml' })
  })

  it('rejects duplicate keys', () => {
    expect(problems(['title: T', 'title: U', 'issue: 1', 'date: 2026-11-03', 'summary: S']).messages[0]).toMatchObject({ at: '3:1', rule: 'front-matter/yaml', message: 'YAML: Map keys must be unique' })
  })

  it('rejects wrong types with the value quoted', () => {
    const { messages } = problems(['title: T', 'issue: fourteen', 'date: 2026-11-03', 'summary: S', 'tags: security'])
    expect(messages).toEqual([
      expect.objectContaining({ at: '3:8', message: '`issue` must be a whole number ≥ 1, got `fourteen`' }),
      expect.objectContaining({ at: '6:7', message: '`tags` must be a list' }),
    ])
  })

  it('limits the title to 120 characters', () => {
    expect(problems([`title: ${'x'.repeat(121)}`, 'issue: 1', 'date: 2026-11-03', 'summary: S']).messages[0]).toMatchObject({ at: '2:8', message: '`title` must be at most 120 characters, this is 121' })
  })

  it('refuses JavaScript front matter without evaluating it', () => {
    const text = '---js\n{ title: (() => { globalThis.pwned = true; return "x" })() }\n---\nBody\n'
    const { file, doc } = parseDoc('content/issues/evil.md', text, 'issue')
    expect(doc).toBeUndefined()
    expect(collectMessages([file])[0]).toMatchObject({ line: 1, column: 4, rule: 'front-matter/engine', severity: 'error' })
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined()
  })

  it('reports a file without front matter at 1:1', () => {
    const { file } = parseDoc('content/issues/x.md', '# Just a heading\n', 'issue')
    expect(collectMessages([file])[0]).toMatchObject({ line: 1, column: 1, rule: 'front-matter/missing' })
  })

  it('validates notices with their own fields', () => {
    const { messages } = problems(['title: VPN down', 'date: 2026-10-14', 'summary: S', 'service: VPN', 'state: fixed', 'impact: No VPN', 'updates:', '  - time: 2026-10-14 8:25', '    text: Looking'], 'notice')
    expect(messages.map(({ at, rule }) => `${at} ${rule}`)).toEqual(['6:8 front-matter/state', '9:11 front-matter/time'])
  })

  it('keeps body positions as positions in the .md file', () => {
    const { doc } = problems(valid, 'issue', '\n## Heading\n\nText\n')
    const heading = doc?.body.children.find((node) => node.type === 'heading')
    expect(heading?.position?.start).toMatchObject({ line: 8, column: 1 })
    const text = String(doc?.file.value)
    expect(text.slice(heading?.position?.start.offset, heading?.position?.end.offset)).toBe('## Heading')
    expect(doc?.body.position).toEqual({ start: { line: 1, column: 1, offset: 0 }, end: { line: 11, column: 1, offset: text.length } })
  })

  it('ends the body where the file ends, after its closing line when there is no body', () => {
    const text = `---\n${valid.join('\n')}\n---`
    expect(parseDoc('content/issues/2026-11.md', text, 'issue').doc?.body.position?.end).toEqual({ line: 6, column: 4, offset: text.length })
  })

  it('records the digest that approval computes from the text, for the samples and the writing corpus', () => {
    const files = ['content', 'test/fixtures/project/content', 'test/fixtures/writing'].flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.md'))
        .map((name) => ({ text: readFileSync(join(dir, name), 'utf8'), kind: name.includes('notices/') ? ('notice' as const) : ('issue' as const) })),
    )
    // Windows line ends, and a line starting `---` inside the front matter (where gray-matter stops reading).
    const edge = [{ ...files[0]!, text: files[0]!.text.replace(/\n/g, '\r\n') }, { text: `---\n${valid.join('\n')}\n---x: 1\n---\nBody\n`, kind: 'issue' as const }]
    const docs = [...files, ...edge].flatMap(({ text, kind }) => parseDoc('x.md', text, kind).doc ?? [])
    expect(docs.length).toBeGreaterThan(20)
    for (const doc of docs) expect(doc.digest).toBe(contentDigest(String(doc.file.value)))
  })

  it('gives the position of any front-matter value by path', () => {
    const { doc } = problems([...valid, 'patches:', '  - title: A', '    restart: true'])
    expect(doc?.where('patches.0.restart')).toEqual({ line: 8, column: 14 })
  })

  it('rejects an issue number another issue already uses, on the later file', () => {
    const text = (n: number) => `---\ntitle: T\nissue: ${n}\ndate: 2026-11-03\nsummary: S\n---\n`
    const loaded = [parseDoc('content/issues/2026-11.md', text(7), 'issue'), parseDoc('content/issues/2026-10.md', text(7), 'issue')]
    const numbers = loaded.map(({ doc }) => ({ path: doc!.path, number: 7, place: doc!.where('issue') }))
    expect(collectMessages(checkIssueNumbers(numbers))).toEqual([
      expect.objectContaining({ file: 'content/issues/2026-11.md', line: 3, column: 8, message: 'Issue number 7 is already used by content/issues/2026-10.md' }),
    ])
  })
})
