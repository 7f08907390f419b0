import { createHash } from 'node:crypto'
import { readdir, readFile, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { packageDir } from '../package-dir.ts'
import { writeAtomic } from './write.ts'

/** A SHA-256 of the parts, each separated so that `ab`+`c` and `a`+`bc` differ. */
export function hashOf(...parts: readonly string[]): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\0')
  return hash.digest('hex')
}

/** Every file under a folder with its text, sorted by path (folders, unreadable as files, are left out); a missing folder is empty. */
export async function readTree(dir: string): Promise<[string, string][]> {
  const names = await readdir(dir, { recursive: true }).catch(() => [] as string[])
  const files = await Promise.all(names.sort().map(async (name) => [name, await readFile(join(dir, name), 'utf8').catch(() => undefined)] as const))
  return files.flatMap(([name, text]) => (text === undefined ? [] : [[name, text] as [string, string]]))
}

let code: Promise<string> | undefined

/**
 * A fingerprint of the program itself: every file of the running code (src/ or the compiled dist/cli/), the site's
 * page templates, Eleventy's config and the locked versions of every library. Any change misses every cache.
 */
export function codeVersion(): Promise<string> {
  code ??= (async () => {
    const versions = await readFile(join(packageDir, 'package-lock.json'), 'utf8').catch(() => '')
    const codeDir = dirname(dirname(fileURLToPath(import.meta.url)))
    const files = [...(await readTree(codeDir)), ...(await readTree(join(packageDir, 'src', 'site', 'pages')))]
    return hashOf(versions, ...files.flat(), await readFile(join(packageDir, '.eleventy.js'), 'utf8'))
  })()
  return code
}

/**
 * JSON values kept between runs under `.newsletter/cache/<name>/`, one file per key (deleting the folder is always
 * safe). Entries are written atomically; `prune` keeps only what the last complete run used.
 */
export class DiskCache<T> {
  private readonly used = new Set<string>()

  constructor(private readonly dir: string) {}

  /** The value stored under this key, if any (an unreadable entry is a miss). */
  async get(key: string): Promise<T | undefined> {
    this.used.add(key)
    try {
      return JSON.parse(await readFile(join(this.dir, `${key}.json`), 'utf8')) as T
    } catch {
      return undefined
    }
  }

  /** Keep a value for later runs. */
  async set(key: string, value: T): Promise<void> {
    this.used.add(key)
    // writeAtomic makes the folder when missing: a mkdir here too was 4.6 s of a cold 1,000-issue build's main thread.
    await writeAtomic(join(this.dir, `${key}.json`), JSON.stringify(value))
  }

  /** Delete entries this run did not use, so the cache holds one run's worth. */
  async prune(): Promise<void> {
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (!this.used.has(name.replace(/\.json$/, ''))) await rm(join(this.dir, name), { force: true })
    }
  }
}
