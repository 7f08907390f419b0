import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli, tempProject } from '../helpers/project.ts'
import { repo } from '../helpers/render.ts'

const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }

let dir: string
beforeAll(() => {
  dir = tempProject()
})

describe('newsletter --version', () => {
  it('prints the package version alone, for --version and -v', async () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+/)
    for (const flag of ['--version', '-v']) expect(await runCli(dir, [flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
  })

  it('loads no command, like --help: only bin.js, cli.js and the two small modules it imports', { tags: ['process'] }, () => {
    for (const flag of ['--version', '--help']) {
      const result = spawnSync(process.execPath, ['--import', pathToFileURL(join(repo, 'test/cli/list-imports.mjs')).href, join(repo, 'src/bin.js'), flag], {
        cwd: dir,
        encoding: 'utf8',
      })
      expect(result.status).toBe(0)
      const imported = [...result.stderr.matchAll(/^import (.*)$/gm)].map((found) => found[1])
      expect(imported).toEqual(
        ['src/bin.js', 'dist/cli/cli.js', 'dist/cli/errors.js', 'dist/cli/package-dir.js'].map((file) => pathToFileURL(join(repo, file)).href),
      )
    }
  })
})

describe('an unknown command', () => {
  it('names the nearest command on stderr and exits 2', async () => {
    for (const [typed, meant] of [
      ['sned', 'send'],
      ['bulid', 'build'],
      ['prevew', 'preview'],
      ['SEND', 'send'],
      ['aprove', 'approve'],
    ] as const) {
      expect(await runCli(dir, [typed])).toEqual({ code: 2, stdout: '', stderr: `Unknown command \`${typed}\`: did you mean \`${meant}\`?\n` })
    }
  })

  it('lists the commands when none is near', async () => {
    for (const typed of ['frobnicate', 'se', 'x']) {
      const { code, stdout, stderr } = await runCli(dir, [typed])
      expect([code, stdout]).toEqual([2, ''])
      expect(stderr.split('\n').slice(0, 5)).toEqual([
        `Unknown command \`${typed}\`.`,
        '',
        'Usage: newsletter <command> [options]',
        '       newsletter --version',
        '',
      ])
      expect(stderr).toContain('\n  send      Mail an approved issue or notice')
    }
  })
})
