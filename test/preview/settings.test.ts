import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseSettings } from '../../src/config.ts'

const base = readFileSync('content/settings.yml', 'utf8')

describe('the preview: settings key', () => {
  it('accepts an editor link and test addresses', () => {
    const { file, settings } = parseSettings(
      'settings.yml',
      `${base}preview:\n  editor_url: "idea://open?file={path}&line={line}"\n  test_to: [me@example.com, you@example.com]\n`,
    )
    expect(file.messages.map(String)).toEqual([])
    expect(settings?.preview).toEqual({ editor_url: 'idea://open?file={path}&line={line}', test_to: ['me@example.com', 'you@example.com'] })
  })

  it('refuses a script link, a link without {path}, and a test address that is not one, at their lines', () => {
    const lines = base.split('\n').length
    const { file } = parseSettings('settings.yml', `${base}preview:\n  editor_url: "javascript:alert('{path}')"\n  test_to: [me@example]\n`)
    expect(file.messages.map((m) => `${m.line}:${m.column}: ${m.reason}`)).toEqual([
      `${lines + 1}:15: \`editor_url\` must be a URL containing {path}, got \`javascript:alert('{path}')\``,
      `${lines + 2}:13: \`test_to\` must be an email address, got \`me@example\``,
    ])
    expect(parseSettings('settings.yml', `${base}preview:\n  editor_url: "vscode://file/somewhere"\n`).file.messages).toHaveLength(1)
  })
})
