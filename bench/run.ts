// `npm run bench`: every bench/*.ts except this file and the modules the benches share, one after another,
// each in its own process.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const dir = import.meta.dirname
const only = process.argv.slice(2)
const benches = readdirSync(dir)
  .filter((name) => name.endsWith('.ts') && !['run.ts', 'lib.ts', 'synthetic.ts'].includes(name))
  .filter((name) => only.length === 0 || only.includes(name.replace(/\.ts$/, '')))
// The benches that measure our code import what tsc compiled (dist/cli), as the command runs it.
const compile = spawnSync('npm', ['run', 'compile'], { cwd: join(dir, '..'), stdio: 'inherit' })
if (compile.status !== 0) process.exit(1)
let failed = 0
for (const name of benches) {
  console.log(`\n# bench/${name}`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, name)], { stdio: 'inherit' })
  if (result.status !== 0) failed++
}
process.exitCode = failed ? 1 : 0
