import { spawn } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fileFor, serveSite, type SiteServer } from '../../src/site/serve.ts'
import { repo } from '../helpers/render.ts'

// A tiny built site, with a file beside it that no request may reach.
let project: string
let dir: string
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'newsletter-serve-'))
  dir = join(project, 'dist', 'site')
  await mkdir(join(dir, 'issues', '2026-11'), { recursive: true })
  await writeFile(join(dir, 'index.html'), '<h1>Home</h1>')
  await writeFile(join(dir, 'issues', '2026-11', 'index.html'), '<h1>November</h1>')
  await writeFile(join(dir, '404.html'), '<h1>Page not found</h1>')
  await writeFile(join(dir, 'feed.xml'), '<feed/>')
  await writeFile(join(project, 'dist', 'secret.txt'), 'secret')
  await mkdir(join(project, 'content'))
  await copyFile(join(repo, 'test/fixtures/settings.yml'), join(project, 'content', 'settings.yml'))
})
afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

const get = (url: string, init: RequestInit = {}) => fetch(url, { redirect: 'manual', ...init })

describe('serveSite', () => {
  let server: SiteServer
  beforeAll(async () => {
    server = await serveSite({ dir, base: '/it-news/', port: 0 })
  })
  afterAll(() => server?.close())

  it('answers under the base path, folders by their index.html, with content types', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/it-news\/$/)
    const home = await get(server.url)
    expect(home.status).toBe(200)
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await home.text()).toBe('<h1>Home</h1>')
    expect(await (await get(`${server.url}issues/2026-11/`)).text()).toBe('<h1>November</h1>')
    expect((await get(`${server.url}feed.xml`)).headers.get('content-type')).toBe('application/xml; charset=utf-8')
  })

  it('redirects / and the base without its slash to the base path, and a folder to its slash', async () => {
    const root = server.url.replace(/it-news\/$/, '')
    for (const [path, location] of [
      ['', '/it-news/'],
      ['it-news', '/it-news/'],
      ['it-news/issues/2026-11', '/it-news/issues/2026-11/'],
    ]) {
      const response = await get(root + path)
      expect(response.status, path).toBe(302)
      expect(response.headers.get('location'), path).toBe(location)
    }
  })

  it("answers a missing page with the site's 404 page, and refuses other methods", async () => {
    const missing = await get(`${server.url}issues/1999-01/`)
    expect(missing.status).toBe(404)
    expect(await missing.text()).toBe('<h1>Page not found</h1>')
    expect((await get(server.url.replace(/it-news\/$/, 'other/'))).status).toBe(404)
    expect((await get(server.url, { method: 'POST' })).status).toBe(405)
  })

  it('never serves a file outside the site folder', async () => {
    expect(fileFor(dir, '/it-news/', '/it-news/../secret.txt')).toBeUndefined()
    expect(fileFor(dir, '/it-news/', '/it-news/%2e%2e/secret.txt')).toBeUndefined()
    expect(fileFor(dir, '/it-news/', '/it-news/..%5csecret.txt')).toBeUndefined()
    expect(fileFor(dir, '/it-news/', '/it-news/%00')).toBeUndefined()
    expect(fileFor(dir, '/it-news/', '/it-news/%E0%A4%A')).toBeUndefined()
    expect(fileFor(dir, '/it-news/', '/it-news/issues/2026-11/')).toBe(join(dir, 'issues', '2026-11'))
    // fetch() would tidy the dots away: send the raw request line.
    const { port } = new URL(server.url)
    for (const path of ['/it-news/../secret.txt', '/it-news/%2e%2e/secret.txt', '/it-news/..%2fsecret.txt']) {
      const reply = await rawGet(Number(port), path)
      expect(reply, path).toMatch(/^HTTP\/1\.1 404/)
      expect(reply, path).not.toContain('secret')
    }
  })

  it('answers a malformed request target 400 and another host name 403, serving nothing', async () => {
    const { port } = new URL(server.url)
    for (const path of ['//a%2Fb/x', '//it-news/', '/it-news/%E0%A4%A', '/it-news/%zz/', 'http://127.0.0.1/it-news/']) {
      const reply = await rawGet(Number(port), path)
      expect(reply, path).toMatch(/^HTTP\/1\.1 400 /)
      expect(reply, path).not.toContain('<h1>')
    }
    for (const host of ['attacker.example', `attacker.example:${port}`, '127.0.0.2', '']) {
      const reply = await rawGet(Number(port), '/it-news/', host)
      expect(reply, host).toMatch(/^HTTP\/1\.1 (403|400) /)
      expect(reply, host).not.toContain('<h1>Home</h1>')
    }
    expect(await rawGet(Number(port), '/it-news/', `127.0.0.1:${port}`)).toContain('<h1>Home</h1>')
  })

  it('says what to do when nothing has been built', async () => {
    await expect(serveSite({ dir: join(project, 'nowhere'), base: '/', port: 0 })).rejects.toThrow(/There is no built archive/)
  })
})

describe('newsletter serve', () => {
  it("serves the project's built site under the path of archive_url, until stopped", { tags: ['process'] }, async () => {
    const child = spawn(process.execPath, [join(repo, 'src/bin.js'), 'serve', '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const url = await new Promise<string>((done, fail) => {
        let said = ''
        child.stdout.on('data', (chunk: Buffer) => {
          said += chunk.toString()
          const found = /Archive at (\S+)/.exec(said)
          if (found) done(found[1]!)
        })
        child.once('exit', (code) => fail(new Error(`serve exited with ${code}: ${said}`)))
      })
      // test/fixtures/settings.yml publishes at https://intranet.example.com/news
      expect(url).toMatch(/\/news\/$/)
      expect(await (await get(url)).text()).toBe('<h1>Home</h1>')
      const root = await get(url.replace(/news\/$/, ''))
      expect(root.headers.get('location')).toBe('/news/')
    } finally {
      child.kill('SIGTERM')
    }
    expect(await new Promise((done) => child.once('exit', done))).toBe(0)
  })
})

/** A GET sent as written (no client tidies the path); Host as a browser at the printed address sends it. */
async function rawGet(port: number, path: string, host = `localhost:${port}`): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`))
    let reply = ''
    socket.on('data', (chunk) => (reply += chunk.toString()))
    socket.on('end', () => done(reply))
    socket.on('error', fail)
  })
}
