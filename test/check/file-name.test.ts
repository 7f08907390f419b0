import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkFixtures, loadFixtures } from '../helpers/check.ts'

const dir = join(import.meta.dirname, '../fixtures/check-file-name')

describe('content/file-name', () => {
  it('warns at the top of a notice still named …-notice.md, with a hint, and not once it is renamed', async () => {
    const messages = await checkFixtures(dir, await loadFixtures(dir, ['2026-11-20-notice.md', '2026-11-20-vpn.md']))
    expect(
      messages
        .filter((m) => m.rule === 'content/file-name')
        .map((m) => `${m.file.split('/').pop()}:${m.line}:${m.column}: ${m.severity}: ${m.message}\n  ${m.hint}`),
    ).toEqual([
      "2026-11-20-notice.md:1:1: warning: The file name `2026-11-20-notice.md` still ends in `-notice`; it becomes the notice's web address\n  Rename it after the service, like 2026-11-20-vpn-outage.md",
    ])
  })
})
