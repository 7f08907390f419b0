import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { collectMessages } from '../../src/check/messages.ts'
import { parseSettings } from '../../src/config.ts'
import { checkFixtures, loadFixtures, sampleSettings } from '../helpers/check.ts'

const dir = join(import.meta.dirname, '../fixtures/check-config')
const brief = (messages: { line: number; column: number; severity: string; rule: string }[]) =>
  messages.filter((m) => m.rule !== 'plain/readability').map((m) => `${m.line}:${m.column} ${m.severity} ${m.rule}`)

describe('rule severities and disable comments', () => {
  it('applies defaults and silences the line after a disable comment (one rule, every rule), warning on unknown rule ids', async () => {
    const messages = await checkFixtures(dir, await loadFixtures(dir, ['doc.md']))
    expect(brief(messages)).toEqual([
      '6:19 warning plain/simpler',
      '14:21 warning plain/simpler',
      '14:43 warning links/http',
      '19:1 warning check/unknown-rule',
    ])
  })

  it('turns rules off or into errors from settings', async () => {
    const settings = await sampleSettings({ checks: { rules: { 'plain/simpler': 'off', 'links/http': 'error', 'links/malformed': 'off' } } })
    const messages = await checkFixtures(
      dir,
      await loadFixtures(dir, ['doc.md'], (text) => text.replace('# newsletter-disable-next-line links/malformed\n', '\n')),
      { settings },
    )
    expect(brief(messages)).toEqual(['14:43 error links/http', '19:1 warning check/unknown-rule'])
  })

  it('uses the configured limits', async () => {
    const settings = await sampleSettings({ checks: { sentence_words: 7, readability_grade: 1 } })
    const messages = await checkFixtures(dir, await loadFixtures(dir, ['doc.md']), { settings })
    expect(brief(messages).filter((m) => m.endsWith('sentence-length'))).toEqual([
      '12:1 warning plain/sentence-length',
      '14:1 warning plain/sentence-length',
      '20:1 warning plain/sentence-length',
    ])
    expect(messages.find((m) => m.rule === 'plain/readability')).toMatchObject({
      line: 2,
      column: 8,
      message: expect.stringMatching(/^Reading grade \d+\.\d is above the target of 1$/),
    })
  })
})

describe('the checks: settings key', () => {
  const base = 'organisation: O\nfrom: it@example.com\narchive_url: https://example.com/\nbrand: { colour: "#0b5cad" }\ncontact: { email: it@example.com }\n'
  it('accepts rule severities and limits', () => {
    const { file, settings } = parseSettings('settings.yml', `${base}checks:\n  readability_grade: 8\n  rules:\n    plain/jargon: error\n`)
    expect(file.messages).toEqual([])
    expect(settings?.checks).toEqual({ readability_grade: 8, rules: { 'plain/jargon': 'error' } })
  })

  it('rejects a misspelt rule id and a bad severity, with positions', () => {
    const { file } = parseSettings('settings.yml', `${base}checks:\n  rules:\n    plain/jargn: error\n    links/http: loud\n`)
    expect(collectMessages([file]).map((m) => `${m.line}:${m.column} ${m.message}${m.hint ? ` / ${m.hint}` : ''}`)).toEqual([
      '8:5 Unknown key `plain/jargn` in `rules` / Did you mean `plain/jargon`?',
      '9:17 `links/http` must be one of off | warning | error, got `loud`',
    ])
  })
})
