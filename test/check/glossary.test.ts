import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseGlossary } from '../../src/check/glossary.ts'
import { collectMessages } from '../../src/check/messages.ts'
import { sampleContent } from '../helpers/render.ts'

const shown = (text: string) => collectMessages([parseGlossary('glossary.yml', text).file]).map((m) => `${m.line}:${m.column} ${m.message} (${m.rule})`)

describe('the glossary file', () => {
  it('reads the shipped glossary without problems', async () => {
    const { file, glossary } = parseGlossary('content/glossary.yml', await readFile(join(sampleContent, 'glossary.yml'), 'utf8'))
    expect(file.messages).toEqual([])
    expect(glossary?.terms.find((term) => term.term === 'zero-day')?.use).toBe('"a security hole attackers found before the fix was ready"')
    expect(glossary?.known.has('VPN')).toBe(true)
  })

  it('points at a term with neither `use` nor `explain`, a term with both, and unknown keys', () => {
    expect(
      shown('terms:\n  endpoint: { use: laptop }\n  SSO: {}\n  MFA:\n    use: a code\n    explain: the app\n  VPN: { note: x }\nknown_acronym: [IT]\n'),
    ).toEqual([
      '3:8 Term `SSO` needs either `use` or `explain`, not neither (glossary/term)',
      '5:5 Term `MFA` needs either `use` or `explain`, not both (glossary/term)',
      '7:8 Term `VPN` needs either `use` or `explain`, not neither (glossary/term)',
      '7:10 Unknown key `note` in `VPN` (glossary/unknown-key)',
      '8:1 Unknown key `known_acronym` (glossary/unknown-key)',
    ])
  })

  it('reports broken YAML with its position', () => {
    expect(shown('terms:\n  MFA: { use: a code }\n  MFA: { use: the app }\n')).toEqual(['3:3 YAML: Map keys must be unique (glossary/yaml)'])
  })
})
