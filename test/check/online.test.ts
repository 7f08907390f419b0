import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkFixtures, loadFixtures, positions } from '../helpers/check.ts'

const dir = join(import.meta.dirname, '../fixtures/check-online')
let server: Server
let origin: string
let closed: string
let inFlight = 0
let most = 0
const hung: (() => void)[] = []

function listen(target: Server): Promise<string> {
  return new Promise((resolve) => target.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(target.address() as AddressInfo).port}`)))
}

beforeAll(async () => {
  server = createServer((request, response) => {
    inFlight += 1
    most = Math.max(most, inFlight)
    // 'close' comes when the answer is sent or the client gives up (a timed-out /slow), whichever is first.
    response.on('close', () => (inFlight -= 1))
    const done = (status: number, headers: Record<string, string> = {}) => {
      if (response.destroyed) return
      response.writeHead(status, headers).end(request.method === 'HEAD' ? undefined : 'body')
    }
    const path = request.url?.split('?')[0]
    if (path === '/slow') return void hung.push(() => done(200))
    // Held briefly so that several requests overlap and the concurrency limit is exercised.
    setTimeout(() => {
      if (path === '/ok') done(200)
      else if (path === '/moved') done(301, { location: '/ok' })
      else if (path === '/nohead') done(request.method === 'HEAD' ? 405 : 200)
      else done(404)
    }, 50)
  })
  origin = await listen(server)
  // A port that was just free: nothing listens there, so connecting is refused.
  const spare = createServer()
  closed = await listen(spare)
  await new Promise((resolve) => spare.close(resolve))
})

afterAll(async () => {
  for (const release of hung) release()
  await new Promise((resolve) => server.close(resolve))
})

describe('check --online', () => {
  it('reports broken, slow and unreachable links where each is used, and passes working ones', async () => {
    const rewrite = (text: string) => text.replaceAll('{{origin}}', origin).replaceAll('{{closed}}', closed)
    const messages = await checkFixtures(dir, await loadFixtures(dir, ['fail.md', 'pass.md'], rewrite), { online: { timeoutMs: 300, concurrency: 2 } })
    const shown = positions(messages, 'links/online').map((line) => line.replaceAll(origin, 'ORIGIN').replaceAll(closed, 'CLOSED'))
    // The port's length moves the second link on line 10: find where it starts in the rewritten text.
    const line10 = rewrite('See [the slow page]({{origin}}/slow) and [the closed site]({{closed}}/).')
    expect(shown).toEqual([
      'fail.md:5:16 `ORIGIN/gone` answered 404 Not Found',
      'fail.md:10:5 `ORIGIN/slow` did not answer within 0.3 s',
      `fail.md:10:${line10.indexOf('[the closed site]') + 1} \`CLOSED/\` could not be reached (ECONNREFUSED)`,
      'fail.md:12:6 `ORIGIN/gone` answered 404 Not Found',
    ])
    expect(messages.find((m) => m.rule === 'links/online')?.severity).toBe('error')
    expect(most).toBeLessThanOrEqual(2)
    expect(most).toBe(2)
  })

  it('fetches nothing without --online', async () => {
    const before = most
    inFlight = 0
    most = 0
    const rewrite = (text: string) => text.replaceAll('{{origin}}', origin).replaceAll('{{closed}}', closed)
    const messages = await checkFixtures(dir, await loadFixtures(dir, ['fail.md'], rewrite))
    expect(positions(messages, 'links/online')).toEqual([])
    expect(most).toBe(0)
    most = before
  })
})
