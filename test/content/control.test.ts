import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Parser } from 'htmlparser2'
import { afterAll, describe, expect, it } from 'vitest'
import { collectMessages, formatText } from '../../src/check/messages.ts'
import { parseDoc } from '../../src/content/load.ts'
import { runCli, tempProject } from '../helpers/project.ts'

const issue = (title: string, summary: string, body: string) => `---
title: "${title}"
issue: 20
date: 2026-12-01
status: draft
summary: ${summary}
---

${body}
`

const roots: string[] = []
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true })
})

describe('control characters', () => {
  it('are an error at their exact line and column, in front matter and body; tab and line ends are fine', () => {
    const text = issue('Printers\u0001down', '"Nobody \uFFFF can print."', 'Line one\twith a tab.\r\nPress \u001b[31mred\u001b[0m.')
    const { doc, file } = parseDoc('content/issues/2026-12.md', text, 'issue')
    expect(doc).toBeUndefined()
    const messages = collectMessages([file])
    expect(messages.map(({ line, column, rule, message }) => ({ line, column, rule, message }))).toEqual([
      { line: 2, column: 17, rule: 'content/control-character', message: expect.stringContaining('(U+0001)') },
      { line: 6, column: 18, rule: 'content/control-character', message: expect.stringContaining('(U+FFFF)') },
      { line: 10, column: 7, rule: 'content/control-character', message: expect.stringContaining('(U+001B)') },
      { line: 10, column: 15, rule: 'content/control-character', message: expect.stringContaining('(U+001B)') },
    ])
    expect(parseDoc('x.md', issue('Fine', '"Tab\there."', 'Body\r\nCRLF.'), 'issue').doc).toBeDefined()
  })

  it('are an error when a YAML escape writes one into a value, at that value', () => {
    const { doc, file } = parseDoc('x.md', issue('Printers', '"Nobody can print.\\e[2J"', 'Body.'), 'issue')
    expect(doc).toBeUndefined()
    expect(collectMessages([file]).map(({ line, column, rule, message }) => ({ line, column, rule, message }))).toEqual([
      { line: 6, column: 10, rule: 'content/control-character', message: '`summary` holds a control character (U+001B), written as a YAML escape' },
    ])
  })

  it('never reach the terminal raw', () => {
    const printed = formatText([{ file: 'x.md', line: 1, column: 1, severity: 'error', message: 'got `a\u001b[2Jb\u0007`', rule: 'r' }])
    expect(printed).toBe('x.md:1:1: error: got `a\\u{1b}[2Jb\\u{7}` (r)')
  })

  it('stop the build; the feed and sitemap built without them are well-formed XML whatever the titles say', async () => {
    const root = tempProject()
    roots.push(root)
    const path = join(root, 'content/issues/2026-12.md')
    writeFileSync(path, issue('Esc \u001b and \uFFFF', '"Fine."', 'Body.').replace('status: draft', 'status: approved'))
    const failed = await runCli(root, ['build'])
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('content/issues/2026-12.md:2:13: error: A control character (U+001B) is in the file')
    expect(failed.stderr).toContain('content/issues/2026-12.md:2:19: error: A control character (U+FFFF) is in the file')
    expect(failed.stderr).not.toMatch(/[\u001b\uFFFF]/)

    writeFileSync(path, readFileSync(path, 'utf8').replace('Esc \u001b and \uFFFF', `Tags </title> & ]]> \\"quotes\\" \u2028 'apostrophes' <![CDATA[`))
    expect((await runCli(root, ['approve', '2026-12', '--by', 'Dana Whitfield'])).code).toBe(0)
    expect((await runCli(root, ['build'])).code).toBe(0)
    for (const name of ['feed.xml', 'sitemap.xml']) {
      const xml = readFileSync(join(root, 'dist/site', name), 'utf8')
      // XML 1.0 `Char`: tab, line ends and U+0020 upwards, without surrogates and U+FFFE/U+FFFF.
      expect(xml, name).not.toMatch(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u)
      const open: string[] = []
      let error: string | undefined
      const parser = new Parser(
        {
          onopentag: (tag) => void open.push(tag),
          onclosetag: (tag) => void (open.pop() !== tag && (error = `</${tag}> closes another element`)),
          onerror: (caught) => void (error = caught.message),
        },
        { xmlMode: true },
      )
      parser.end(xml)
      expect(error, name).toBeUndefined()
      expect(open, name).toEqual([])
    }
    const feed = readFileSync(join(root, 'dist/site/feed.xml'), 'utf8')
    expect(feed).toContain('Tags &lt;/title&gt; &amp; ]]&gt;')
  }, 240_000)
})
