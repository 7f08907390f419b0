import { rmSync } from 'node:fs'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPreview, type PreviewServer } from '../../src/preview/server.ts'
import { tempProject } from '../helpers/project.ts'

let root: string
let preview: PreviewServer
let port: number
beforeAll(async () => {
  root = tempProject()
  preview = await startPreview({ root, port: 0 })
  port = Number(new URL(preview.url).port)
}, 120_000)
afterAll(async () => {
  await preview?.close()
  rmSync(root, { recursive: true, force: true })
})

/** A GET sent as written: no client tidies the request target. */
function rawGet(path: string, host = `127.0.0.1:${port}`): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`))
    let reply = ''
    socket.on('data', (chunk) => (reply += chunk.toString()))
    socket.on('end', () => done(reply))
    socket.on('error', fail)
  })
}

describe('preview request targets', () => {
  it('answers a malformed target 400, never 500', async () => {
    for (const path of ['//a%2Fb/x', '//issues/2026-11/', '/issues/%E0%A4%A/', '/notices/%zz/email.html', 'http://127.0.0.1/']) {
      expect(await rawGet(path), path).toMatch(/^HTTP\/1\.1 400 /)
    }
    expect(await rawGet('/issues/2026-11/email.txt')).toMatch(/^HTTP\/1\.1 200 /)
  })

  it('answers another host name 403', async () => {
    expect(await rawGet('/', `attacker.example:${port}`)).toMatch(/^HTTP\/1\.1 403 /)
  })
})
