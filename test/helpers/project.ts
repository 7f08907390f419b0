import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { asLine, main } from '../../src/cli.ts'
import { repo, sampleContent } from './render.ts'

/** A throwaway copy of the sample project (content + layouts) to run the CLI in. */
export function tempProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsletter-'))
  cpSync(sampleContent, join(dir, 'content'), { recursive: true })
  cpSync(join(repo, 'layouts'), join(dir, 'layouts'), { recursive: true })
  return dir
}

/** `newsletter argv…` on the project at `root` through the same `main`, in this process: its exit code and its output lines joined. */
export async function mainIn(root: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (text) => out.push(text), err: (text) => err.push(text) }, root)
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** What a run of `newsletter …` ended with: its exit code and everything it printed. */
export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Run `newsletter …` in this process, as `bin.js` would in `cwd`: the same `main`, its output byte for byte as the
 * real streams get it, and for the length of the call `cwd` as the working folder (paths on the command line are
 * relative to it) and `env` over process.env. Far faster than a process: no Node start, modules loaded once per
 * worker. What only a process shows (a signal, another user, a lock held by another process) uses spawnCli in test/send/helpers.ts.
 */
export async function runCli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const io = { out: (text: string) => void (stdout += asLine(text)), err: (text: string) => void (stderr += asLine(text)) }
  const code = await inFolder(cwd, () => withEnv(env, () => main(args, io, cwd)))
  return { code, stdout, stderr }
}

/** Run `work` with `cwd` as the working folder, then go back. Tests in a file run one at a time, so nothing else sees it. */
async function inFolder<T>(cwd: string, work: () => Promise<T>): Promise<T> {
  const before = process.cwd()
  process.chdir(cwd)
  try {
    return await work()
  } finally {
    process.chdir(before)
  }
}

/** Run `work` with these variables set in process.env, then put back what was there. */
async function withEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]))
  Object.assign(process.env, env)
  try {
    return await work()
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}
