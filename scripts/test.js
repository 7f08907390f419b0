// `npm test`: compile, type-check, lint, then every vitest test, stopping at the first step that fails; the last line is
// the wall time of the whole run, pass or fail (issue 25: the suite's time is watched, so it is printed every time).
// Arguments go to vitest: `npm test -- test/send` runs the steps, then only those tests.
import { spawnSync } from 'node:child_process'

const started = performance.now()
const steps = [
  ['npm', ['run', 'compile']],
  ['npx', ['tsc', '--noEmit']],
  ['npm', ['run', 'lint']],
  ['npx', ['vitest', 'run', ...process.argv.slice(2)]],
]
let code = 0
for (const [command, args] of steps) {
  const { status } = spawnSync(command, args, { stdio: 'inherit' })
  if (status !== 0) {
    code = status ?? 1
    break
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1)
process.stdout.write(`\nnpm test: ${code === 0 ? 'passed' : 'failed'} in ${seconds} s wall time\n`)
process.exitCode = code
