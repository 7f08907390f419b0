import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { docSegments } from '../../src/check/segments.ts'
import { issueFields, noticeFields } from '../../src/content/fields.ts'
import { parseDoc } from '../../src/content/load.ts'
import { proseValues } from '../../src/content/schema.ts'
import { renderParts, type Prose } from '../../src/markdown/parts.ts'
import { parseProseFields } from '../../src/markdown/prose-fields.ts'

const dir = join(import.meta.dirname, '../fixtures/prose-fields')

async function fixture(kind: 'issue' | 'notice') {
  const { doc, file } = parseDoc(`${kind}.md`, await readFile(join(dir, `${kind}.md`), 'utf8'), kind)
  if (!doc) throw new Error(file.messages.join('; '))
  return doc
}

/** Every rendered piece of prose reachable from a value, each once. */
function proseIn(value: unknown, found = new Set<Prose>()): Set<Prose> {
  if (Array.isArray(value)) for (const item of value) proseIn(item, found)
  else if (value && typeof value === 'object') {
    if ('html' in value && 'nodes' in value && 'inline' in value) found.add(value as Prose)
    else for (const item of Object.values(value)) proseIn(item, found)
  }
  return found
}

describe('front-matter prose, parsed once', () => {
  for (const kind of ['issue', 'notice'] as const) {
    it(`renders every Markdown field of the ${kind} fixture from the nodes the writing checks read`, async () => {
      const doc = await fixture(kind)
      const markdown = proseValues(doc.meta, kind === 'issue' ? issueFields : noticeFields).filter((field) => field.kind === 'markdown')
      const rendered = renderParts(doc)
      const prose = [...proseIn([rendered.summary, rendered.issue, rendered.notice])]
      expect(prose).toHaveLength(markdown.length)
      expect(prose.every(({ html }) => html.includes('utilize'))).toBe(true)
      // The same node objects: the fields were parsed once and both stages read that parse.
      const [front] = docSegments(doc)
      for (const { nodes } of prose) expect(front!.tree.children).toContain(nodes[0])
    })
  }

  it('renders the same HTML each time from the shared nodes (nothing writes to them)', async () => {
    const doc = await fixture('issue')
    const first = renderParts(doc)
    docSegments(doc)
    const again = renderParts(doc)
    expect(again.summary.html).toBe('Please utilize the <strong>new</strong> printers from Monday.')
    expect(again.issue?.patches[0]?.action?.html).toBe(first.issue?.patches[0]?.action?.html)
    expect(again.issue?.threat?.summary).toEqual(first.issue?.threat?.summary)
  })

  it('keeps each field to its own nodes when one swallows the separator, and maps them back to the file', async () => {
    const text = (await readFile(join(dir, 'issue.md'), 'utf8')).replace(
      'summary: "Please utilize the **new** printers from Monday."',
      'summary: "``` utilize"',
    )
    const { doc } = parseDoc('issue.md', text, 'issue')
    const rendered = renderParts(doc!)
    expect(rendered.summary.html).toBe('<pre><code class="language-utilize"></code></pre>')
    expect(rendered.issue?.threat?.summary.html).toBe('Criminals send invoices.\nThey utilize the name of a real supplier.')
    const [front] = docSegments(doc!)
    const { byPath } = parseProseFields(doc!)
    expect(front!.map!(byPath.get('threat.signs.0')!.nodes[0]!.position!.start)).toEqual({ line: 13, column: 7 })
    expect(front!.map!(byPath.get('threat.summary')!.nodes[0]!.position!.start)).toEqual({ line: 10, column: 5 })
  })
})
