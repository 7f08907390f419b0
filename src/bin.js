#!/usr/bin/env node
// The `newsletter` command runs the JavaScript that tsc compiled into dist/cli/ at install (npm's prepare
// script). When the sources are newer (a pull, an edit) it compiles them again first, so it never runs stale code.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const entry = join(root, 'dist', 'cli', 'cli.js')

function builtAt() {
  try {
    return statSync(entry).mtimeMs
  } catch {
    return -1
  }
}

function newestSource() {
  const src = join(root, 'src')
  let newest = statSync(join(root, 'tsconfig.json')).mtimeMs
  for (const name of readdirSync(src, { recursive: true })) {
    if (name.endsWith('.ts')) newest = Math.max(newest, statSync(join(src, name)).mtimeMs)
  }
  return newest
}

if (builtAt() < newestSource()) {
  let tsc
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  } catch {
    process.stderr.write('newsletter: the command is not compiled and TypeScript is not installed.\n  Run `npm install` in the project folder.\n')
    process.exit(1)
  }
  // Type errors do not stop the emit: `npm test` reports them; the command still runs what was written.
  spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'ignore' })
  if (builtAt() < newestSource()) {
    process.stderr.write('newsletter: compiling the command failed.\n  Run `npm run compile` to see why.\n')
    process.exit(1)
  }
}

const { main } = await import(pathToFileURL(entry).href)
process.exitCode = await main(process.argv.slice(2))
