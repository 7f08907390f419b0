import { readFile } from 'node:fs/promises'
import { VFile } from 'vfile'
import { isMap, isScalar, type Document } from 'yaml'
import { report } from '../errors.ts'
import type { Fields, Spec } from '../content/schema.ts'
import { decodeText } from '../content/decode.ts'
import { readYaml } from '../content/yaml.ts'

/** One jargon term: either plain words to use instead, or a note on how to explain it. */
export interface Term {
  term: string
  use?: string
  explain?: string
}

/** The glossary file (`content/glossary.yml`): jargon to avoid and acronyms everyone knows. */
export interface Glossary {
  terms: Term[]
  /** Acronyms readers know without expansion (`PC`, `IT`). */
  known: Set<string>
  /** Phrases the simpler-words check should accept (`delete` is plain in IT). */
  plainEnough: string[]
}

/** An empty glossary: no jargon, no known acronyms. */
export const emptyGlossary: Glossary = { terms: [], known: new Set(), plainEnough: [] }

/** Parse and validate glossary text; problems go on the returned file with positions. */
export function parseGlossary(path: string, text: string): { file: VFile; glossary?: Glossary } {
  const file = new VFile({ path, value: text })
  // The terms are the user's own keys: build the spec from them so each value is validated with its position.
  const specOf = (document: Document): Spec => {
    const termsNode = isMap(document.contents) ? document.contents.get('terms', true) : undefined
    const keys = isMap(termsNode) ? termsNode.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key))) : []
    const termFields: Fields = { use: { spec: { kind: 'string' } }, explain: { spec: { kind: 'string' } } }
    return {
      kind: 'object',
      fields: {
        terms: { spec: { kind: 'object', fields: Object.fromEntries(keys.map((key) => [key, { spec: { kind: 'object', fields: termFields } }])) } },
        known_acronyms: { spec: { kind: 'list', of: { kind: 'string' } } },
        plain_enough: { spec: { kind: 'list', of: { kind: 'string' } } },
      },
    }
  }
  const read = readYaml(file, text, text, 0, specOf, 'glossary')
  if (!read) return { file }
  const raw = (read.value ?? {}) as { terms?: Record<string, { use?: string; explain?: string }>; known_acronyms?: string[]; plain_enough?: string[] }
  const terms: Term[] = []
  for (const [term, entry] of Object.entries(raw.terms ?? {})) {
    if (Boolean(entry.use) === Boolean(entry.explain)) {
      report(
        file,
        'error',
        `Term \`${term}\` needs either \`use\` or \`explain\`, not ${entry.use ? 'both' : 'neither'}`,
        'glossary/term',
        read.where(`terms.${term}`),
        `Write ${term}: { use: "plain words" } or ${term}: { explain: "what to say about it" }`,
      )
      continue
    }
    terms.push({ term, ...entry })
  }
  if (file.messages.length > 0) return { file }
  return { file, glossary: { terms, known: new Set(raw.known_acronyms ?? []), plainEnough: (raw.plain_enough ?? []).map((phrase) => phrase.toLowerCase()) } }
}

/** Read the glossary file; a missing file is an empty glossary. */
export async function loadGlossary(path: string, shownPath: string): Promise<{ file: VFile; glossary?: Glossary }> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file: new VFile({ path: shownPath }), glossary: emptyGlossary }
    const file = new VFile({ path: shownPath })
    report(
      file,
      'error',
      `The glossary could not be read: ${(error as Error).message}`,
      'glossary/unreadable',
      { line: 1, column: 1 },
      'Check that it is a file you may read',
    )
    return { file }
  }
  return parseGlossary(shownPath, decodeText(bytes).text)
}
