import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repo, sampleContent } from './render.ts'

/** A throwaway copy of the sample project (content + layouts) to run the real CLI in. */
export function tempProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsletter-'))
  cpSync(sampleContent, join(dir, 'content'), { recursive: true })
  cpSync(join(repo, 'layouts'), join(dir, 'layouts'), { recursive: true })
  return dir
}

/** Run `newsletter …` as a real process in a folder; returns its exit code and output. */
export function runCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [join(repo, 'src/bin.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}
