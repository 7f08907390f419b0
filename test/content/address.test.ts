import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addressOf } from '../../src/content/address.ts'

describe('addressOf', () => {
  it('says where an issue and a notice live on the archive', () => {
    const issue = addressOf({ kind: 'issue', slug: '2026-11' })
    expect([issue.id, issue.page, issue.email, issue.update(2)]).toEqual(['issues/2026-11', 'issues/2026-11/', 'email/2026-11/', 'issues/2026-11/#update-2'])
    const notice = addressOf({ kind: 'notice', slug: '2026-11-28-email' })
    expect([notice.id, notice.page, notice.calendar, notice.calendarFile]).toEqual([
      'notices/2026-11-28-email',
      'notices/2026-11-28-email/',
      'notices/2026-11-28-email/2026-11-28-email.ics',
      '2026-11-28-email.ics',
    ])
  })

  it('is the only module that builds a page address', () => {
    const src = join(import.meta.dirname, '../../src')
    const builders = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.(ts|liquid)$/.test(name) && name !== join('content', 'address.ts'))
      .filter((name) => /(issues|notices|email)\/(\$\{|\{\{)|\}\.ics`|#update-\$\{/.test(readFileSync(join(src, name), 'utf8')))
    expect(builders).toEqual([])
  })
})
