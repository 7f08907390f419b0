import { mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectMessages } from '../../src/check/messages.ts'
import { listSources, loadSource } from '../../src/content/load.ts'
import { decodeText } from '../../src/content/decode.ts'
import { runPipeline } from '../../src/project/pipeline.ts'
import { loadProject } from '../../src/project/project.ts'
import { tempProject } from '../helpers/project.ts'

const head = (n: number, extra = '') => `---\ntitle: T\nissue: ${n}\ndate: 2026-11-03\nsummary: S${extra}\n---\n`

let root: string

/** Write content files into the project, then load and render it all: every message, as `path:line:col rule: message`. */
async function messagesFor(files: Record<string, string | Uint8Array>): Promise<string[]> {
  for (const [name, content] of Object.entries(files)) await writeFile(join(root, 'content', 'issues', name), content)
  const pipeline = await runPipeline(await loadProject(root, { only: (source) => source.path.endsWith(Object.keys(files)[0]!) }), { drafts: true })
  return collectMessages(pipeline.files).map((m) => `${m.file}:${m.line}:${m.column} ${m.severity} ${m.rule}: ${m.message}`)
}

beforeAll(() => {
  root = tempProject()
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('files as editors on Windows and elsewhere write them', () => {
  it('reads CRLF, CR-only and BOM files like LF ones, with the same positions', async () => {
    const bad = (n: number) => head(n).replace('date: 2026-11-03', 'date: 3 Nov')
    expect(await messagesFor({ 'crlf.md': bad(67).replace(/\n/g, '\r\n') })).toEqual(['content/issues/crlf.md:4:7 error front-matter/date: `date` must be a date written YYYY-MM-DD, got `3 Nov`'])
    expect(await messagesFor({ 'cr.md': bad(68).replace(/\n/g, '\r') })).toEqual(['content/issues/cr.md:4:7 error front-matter/date: `date` must be a date written YYYY-MM-DD, got `3 Nov`'])
    expect(await messagesFor({ 'bom.md': `\uFEFF${bad(69)}` })).toEqual(['content/issues/bom.md:4:7 error front-matter/date: `date` must be a date written YYYY-MM-DD, got `3 Nov`'])
    expect(await messagesFor({ 'good.md': `\uFEFF${head(71)}Hello.\r\n`.replace(/\n/g, '\r\n') })).toEqual([])
  })

  it('reads Windows-1252 text and warns that it guessed', async () => {
    const bytes = Buffer.from(`${head(72)}Jos\u00e9 M\u00fcller moved the printer.\n`, 'latin1')
    expect(decodeText(bytes).text).toContain('José Müller')
    // 0x80–0x9F are where Windows-1252 differs from Latin-1: the euro sign and typographic quotes.
    expect(decodeText(Buffer.from([0x93, 0x80, 0x35, 0x94])).text).toBe('“€5”')
    expect(await messagesFor({ 'cp1252.md': bytes })).toEqual(['content/issues/cp1252.md:1:1 warning content/encoding: The file is not UTF-8; it was read as Windows-1252'])
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('---\r\ntitle: É\r\n', 'utf16le')])).text).toBe('---\ntitle: É\n')
  })

  it('says a tab in the indentation is not allowed, at its line', async () => {
    expect(await messagesFor({ 'tab.md': head(73, '\n\tmore: x') })).toEqual(['content/issues/tab.md:6:1 error front-matter/yaml: YAML: Tabs are not allowed as indentation'])
  })

  it('refuses a front matter that is never closed at line 1, instead of reading the body as YAML', async () => {
    expect(await messagesFor({ 'unclosed.md': '---\ntitle: T\nissue: 74\ndate: 2026-11-03\nsummary: S\n\nThe body.\n' })).toEqual([
      'content/issues/unclosed.md:1:1 error front-matter/unclosed: The front matter is never closed: no `---` line after it',
    ])
  })
})

describe('inputs that used to crash it', () => {
  it('refuses quotes nested past the limit where they go past it, not with a stack overflow', async () => {
    expect(await messagesFor({ 'quote.md': `${head(75)}${'>'.repeat(3000)} deep\n` })).toEqual(['content/issues/quote.md:7:52 error content/limit: Quotes and lists are nested more than 50 levels deep here'])
  })

  it('refuses lists nested past the limit', async () => {
    const list = Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')
    expect(await messagesFor({ 'list.md': `${head(76)}${list}\n` })).toEqual(['content/issues/list.md:57:101 error content/limit: Quotes and lists are nested more than 50 levels deep here'])
  })

  it('refuses a paragraph of 100,000 words at its first line', async () => {
    expect(await messagesFor({ 'words.md': `${head(77)}\nFirst paragraph.\n\n${'word '.repeat(100_000)}\n` })).toEqual([
      'content/issues/words.md:10:1 error content/limit: This paragraph has 100,000 words; at most 5,000 are read',
    ])
  })

  it('refuses a file over the size limit before parsing it', async () => {
    expect(await messagesFor({ 'huge.md': `${head(78)}${'word '.repeat(2_000_000)}` })).toEqual(['content/issues/huge.md:1:1 error content/too-big: The file is 10,001 KB; at most 1,000 KB is read'])
  })

  it('reports an image path with a broken %-escape instead of throwing', async () => {
    expect(await messagesFor({ 'escape.md': `${head(79)}![Printer](images/%FF.png)\n` })).toEqual(['content/issues/escape.md:7:1 error links/image: The image path `images/%FF.png` has a broken %-escape'])
  })

  it('reports a folder named like a document, and a link to nothing, as errors on them', async () => {
    await mkdir(join(root, 'content', 'issues', 'folder.md'))
    await symlink(join(root, 'nowhere.md'), join(root, 'content', 'issues', 'dangling.md'))
    const sources = await listSources(join(root, 'content'), root)
    const messages = await Promise.all(sources.filter((s) => /folder|dangling/.test(s.path)).map(async (s) => collectMessages([(await loadSource(s)).loaded.file])[0]))
    expect(messages.map((m) => `${m?.file}:${m?.line}:${m?.column} ${m?.rule}: ${m?.message}`)).toEqual([
      'content/issues/dangling.md:1:1 content/unreadable: The file cannot be read: it is a link to something that does not exist',
      'content/issues/folder.md:1:1 content/unreadable: This is a folder, not a file',
    ])
    await rm(join(root, 'content', 'issues', 'folder.md'), { recursive: true })
    await rm(join(root, 'content', 'issues', 'dangling.md'))
  })

  it('refuses file names that cannot be page addresses, and skips hidden editor files', async () => {
    expect(await messagesFor({ 'Q&A Outage.md': head(80) })).toEqual(['content/issues/Q&A Outage.md:1:1 error content/file-name: The file name `Q&A Outage.md` cannot be a page address: use lower-case letters, digits and dashes'])
    const hint = collectMessages((await loadProject(root, { only: (s) => s.slug === 'Q&A Outage' })).sources.map((s) => s.loaded.file))[0]?.hint
    expect(hint).toBe('Rename it to `q-a-outage.md`')
    await writeFile(join(root, 'content', 'issues', '...md'), head(81))
    await writeFile(join(root, 'content', 'issues', '.#2026-11.md'), 'lock')
    expect((await listSources(join(root, 'content'), root)).map((s) => s.path).filter((p) => p.includes('/.'))).toEqual([])
  })
})
