import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { issueFields, noticeFields } from '../../src/content/fields.ts'
import { proseValues } from '../../src/content/schema.ts'
import { parseProseFields } from '../../src/markdown/prose-fields.ts'
import { checkFixtures, loadFixtures } from '../helpers/check.ts'

const dir = join(import.meta.dirname, '../fixtures/prose-fields')

describe('the writing checks read every prose field the schema declares', () => {
  for (const name of ['issue.md', 'notice.md']) {
    it(`flags the word put in each prose field of ${name}, where it is in the file`, async () => {
      const loaded = await loadFixtures(dir, [name])
      const doc = loaded[0]!.doc!
      const fields = proseValues(doc.meta, doc.meta.kind === 'issue' ? issueFields : noticeFields)
      // Each prose field of the fixture says `utilize` once, on a line of its own; the body never does.
      expect(fields.every(({ text }) => text.split('utilize').length === 2)).toBe(true)
      const lines = (await readFile(join(dir, name), 'utf8')).split('\n')
      const expected = lines.flatMap((line, k) => (line.includes('utilize') ? [`${k + 1}:${line.indexOf('utilize') + 1}`] : []))
      expect(expected).toHaveLength(fields.length)
      const parsed = structuredClone(parseProseFields(doc).fields)
      const messages = await checkFixtures(dir, loaded)
      // The renderer reads the same nodes: the checks leave them as they were.
      expect(parseProseFields(doc).fields).toEqual(parsed)
      const found = messages
        .filter(({ rule, message }) => rule === 'plain/simpler' && message.includes('`utilize`'))
        .map(({ line, column }) => `${line}:${column}`)
      expect(found).toEqual(expected)
    })
  }
})
