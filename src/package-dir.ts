import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Only Node built-ins here: `newsletter --version` reads package.json through this without loading the pipeline.

/** The folder of this package (package.json, src/, layouts/), whether the code runs from src/ or dist/cli/. */
export const packageDir = findPackageDir(dirname(fileURLToPath(import.meta.url)))

function findPackageDir(dir: string): string {
  return existsSync(join(dir, 'package.json')) || dirname(dir) === dir ? dir : findPackageDir(dirname(dir))
}
