import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { issueFields, noticeFields } from '../../src/content/fields.ts'
import { parseDoc } from '../../src/content/load.ts'
import { mapMarkdown, proseValues, type Fields, type Spec } from '../../src/content/schema.ts'

const fixtures = join(import.meta.dirname, '../fixtures/prose-fields')

/** Every text a spec declares, by path with `*` for a list item, and what it says about being prose. */
function declaredTexts(fields: Fields, prefix = ''): { path: string; prose: unknown }[] {
  return Object.entries(fields).flatMap(([key, field]) => textsOf(field.spec, prefix ? `${prefix}.${key}` : key))
}

function textsOf(spec: Spec, path: string): { path: string; prose: unknown }[] {
  if (spec.kind === 'string') return [{ path, prose: spec.prose }]
  if (spec.kind === 'list') return textsOf(spec.of, `${path}.*`)
  if (spec.kind === 'object') return declaredTexts(spec.fields, path)
  return []
}

const kinds = [
  ['issue', issueFields],
  ['notice', noticeFields],
] as const

async function fixture(kind: 'issue' | 'notice') {
  const { doc, file } = parseDoc(`${kind}.md`, await readFile(join(fixtures, `${kind}.md`), 'utf8'), kind)
  if (!doc) throw new Error(file.messages.join('; '))
  return doc
}

describe('the registry of prose fields', () => {
  for (const [kind, fields] of kinds) {
    it(`says of every text of ${kind} front matter whether it is prose, and how`, () => {
      const texts = declaredTexts(fields)
      expect(texts.filter(({ prose }) => prose === undefined).map(({ path }) => path)).toEqual([])
      expect(texts.every(({ prose }) => prose === false || prose === 'markdown' || prose === 'title' || prose === 'plain')).toBe(true)
    })

    it(`finds every prose field of the ${kind} fixture, in the order the keys are declared`, async () => {
      const declared = declaredTexts(fields).flatMap(({ path, prose }) => (prose ? [path] : []))
      const found = proseValues((await fixture(kind)).meta, fields).map(({ path }) => path.replace(/\.\d+(?=\.|$)/g, '.*'))
      // The fixture fills every prose field: each declared path is found, in declaration order.
      expect([...new Set(found)]).toEqual(declared)
    })
  }

  it('reads the prose in the order the email shows it: the threat before the patches', () => {
    const keys = Object.keys(issueFields)
    expect(keys.indexOf('threat')).toBeLessThan(keys.indexOf('patches'))
  })

  it('turns each Markdown text, and only those, into what the renderer gives, keeping every other value', async () => {
    const doc = await fixture('issue')
    if (doc.meta.kind !== 'issue') throw new Error('not an issue')
    const seen: string[] = []
    const mapped = mapMarkdown(doc.meta, issueFields, (text, path) => {
      seen.push(path)
      return { markdown: text }
    })
    const markdownPaths = proseValues(doc.meta, issueFields).flatMap(({ path, kind }) => (kind === 'markdown' ? [path] : []))
    expect(seen).toEqual(markdownPaths)
    expect(mapped.summary).toEqual({ markdown: doc.meta.summary })
    expect(mapped.threat?.signs).toEqual(doc.meta.threat?.signs.map((markdown) => ({ markdown })))
    expect(mapped.threat?.name).toBe(doc.meta.threat?.name)
    expect(mapped.patches[0]).toMatchObject({ ...doc.meta.patches[0], action: { markdown: doc.meta.patches[0]?.action } })
    expect(mapped.title).toBe(doc.meta.title)
  })
})
