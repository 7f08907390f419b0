import { spawn } from 'node:child_process'
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli.ts'
import { sampleContent } from '../helpers/render.ts'

describe('newsletter preview (command line)', () => {
  it('refuses a port that is not a number', async () => {
    const err: string[] = []
    await expect(main(['preview', '--port', 'eighty'], { out: () => {}, err: (text) => err.push(text) })).resolves.toBe(2)
    expect(err.join('\n')).toBe('error: --port must be a number from 0 to 65535, got `eighty`')
  })

  it(
    'prints a 127.0.0.1 address, serves the project and the page\u2019s own files from the compiled code, and stops cleanly on SIGTERM',
    { tags: ['process'] },
    async () => {
      const root = await mkdtemp(join(tmpdir(), 'newsletter-cli-'))
      await cp(sampleContent, join(root, 'content'), { recursive: true })
      await cp('layouts', join(root, 'layouts'), { recursive: true })
      const child = spawn(process.execPath, [resolve('src/bin.js'), 'preview', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
      let err = ''
      child.stderr.on('data', (chunk: Buffer) => (err += chunk))
      try {
        const url = await new Promise<string>((done, fail) => {
          let out = ''
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk
            const found = /Preview at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)
            if (found) done(found[1]!)
          })
          child.on('exit', (code) => fail(new Error(`exited with ${code} before printing its address`)))
        })
        // It says what it is doing before the address, and serves the list before rendering anything.
        expect(err).toBe(`Reading the issues and notices in ${root}…\nRead 3 issues and 1 notice\n`)
        const index = await (await fetch(url)).text()
        expect(index).toContain('href="/issues/2026-11/"')
        expect(index).toContain('checking…')
        await expect
          .poll(() => err, { timeout: 60_000 })
          .toMatch(/\nRendering and checking every document in the background…\nRendered and checked 4 documents in \d+\.\d s\n$/)
        await expect.poll(async () => (await (await fetch(url)).text()).includes('checking…'), { timeout: 5000 }).toBe(false)
        // dist/cli holds only what tsc compiled: the script, styles and icon come from src/preview/client/ as they are.
        for (const [path, file, type] of [
          ['preview.js', 'preview.js', 'text/javascript'],
          ['preview.css', 'preview.css', 'text/css'],
          ['favicon.ico', 'favicon.svg', 'image/svg+xml'],
        ] as const) {
          const response = await fetch(`${url}${path}`)
          expect([response.status, response.headers.get('content-type'), await response.text()]).toEqual([
            200,
            `${type}; charset=utf-8`,
            await readFile(join('src/preview/client', file), 'utf8'),
          ])
        }
        const exited = new Promise<number | null>((done) => child.on('exit', done))
        child.kill('SIGTERM')
        await expect(exited).resolves.toBe(0)
      } finally {
        child.kill('SIGKILL')
        await rm(root, { recursive: true, force: true })
      }
    },
  )
})
