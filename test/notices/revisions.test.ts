import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isNoticeClosed, noticeRevision, noticeSubject, orderUpdates } from '../../src/content/revisions.ts'
import { messageId } from '../../src/send/threading.ts'
import { revisionMessageId, threadHeaders } from '../../src/send/threading.ts'
import { renderEmail } from '../helpers/render.ts'

const updates = [
  { time: '2026-10-14T08:25', state: 'investigating' as const, text: 'one' },
  { time: '2026-10-14T09:55', state: 'resolved' as const, text: 'three' },
  { time: '2026-10-14T09:10', state: 'identified' as const, text: 'two' },
]

describe('notice revisions', () => {
  it('numbers a revision per update, a notice without updates being revision 1', () => {
    expect(noticeRevision({ updates })).toBe(3)
    expect(noticeRevision({ updates: [] })).toBe(1)
  })

  it('names the state in the subject', () => {
    expect(noticeSubject({ state: 'identified', title: 'VPN: people at home cannot connect' })).toBe('[Cause identified] VPN: people at home cannot connect')
    expect(noticeSubject({ state: 'in-progress', title: 'Email maintenance' })).toBe('[In progress] Email maintenance')
  })

  it('puts the latest update first and the earlier ones newest first, the later-written first at the same minute', () => {
    expect(orderUpdates(updates)).toEqual({ latest: updates[1], earlier: [updates[2], updates[0]] })
    const same = [
      { time: '2026-10-14T08:25', text: 'a' },
      { time: '2026-10-14T08:25', text: 'b' },
    ]
    expect(orderUpdates(same).latest?.text).toBe('b')
    expect(orderUpdates([])).toEqual({ latest: undefined, earlier: [] })
  })

  it('closes an incident when resolved and a maintenance when completed', () => {
    expect(
      ['investigating', 'monitoring', 'resolved', 'scheduled', 'in-progress', 'completed'].map((state) => isNoticeClosed({ state: state as 'resolved' })),
    ).toEqual([false, false, true, false, false, true])
  })
})

describe('the email of a revision', () => {
  it('has the state in its subject and the latest update, with its state, before the impact', async () => {
    const email = await renderEmail(readFileSync(join(import.meta.dirname, '../fixtures/email/notice-resolved/input.md'), 'utf8'), 'notice')
    expect(email.subject).toBe('[Resolved] Printing is back in York')
    const order = ['WHAT HAPPENED', 'LATEST UPDATE', '13:20 · Resolved', 'Impact:', 'EARLIER UPDATES', '11:30 · Cause identified', '10:05 · Investigating'].map(
      (text) => email.text.indexOf(text),
    )
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true)
  })
})

describe('threading', () => {
  it('keeps the first revision on the Message-ID sends have always used and gives each later one its own', () => {
    expect(revisionMessageId('vpn', 1, 'ann@example.com', 'example.com')).toBe(messageId('vpn', 'ann@example.com', 'example.com'))
    const ids = [1, 2, 3].map((revision) => revisionMessageId('vpn', revision, 'ann@example.com', 'example.com'))
    expect(new Set(ids).size).toBe(3)
    expect(ids[1]).toMatch(/^<vpn\.r2\.[0-9a-f]{32}@example\.com>$/)
    expect(revisionMessageId('vpn', 2, 'ann@example.com', 'example.com')).toBe(ids[1])
  })

  it("points revisions after the first at that recipient's first message", () => {
    expect(threadHeaders('vpn', 1, 'ann@example.com', 'example.com')).toBeUndefined()
    const first = messageId('vpn', 'ann@example.com', 'example.com')
    expect(threadHeaders('vpn', 3, 'ann@example.com', 'example.com')).toEqual({ 'In-Reply-To': first, References: first })
    expect(threadHeaders('vpn', 2, 'bo@example.com', 'example.com')!['In-Reply-To']).not.toBe(first)
  })
})
