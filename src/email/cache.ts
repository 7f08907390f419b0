import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Settings } from '../config.ts'
import type { RenderedDoc } from '../markdown/parts.ts'
import { writeAtomic } from '../project/write.ts'
import type { EmailArtifact } from './build-email.ts'
import type { Layouts } from './layout.ts'

// The code that turns a document into an email: a change to any of it must miss the cache.
const codeDirs = ['content', 'markdown', 'email'].map((name) => fileURLToPath(new URL(`../${name}/`, import.meta.url)))

/**
 * Compiled emails kept between builds (MJML is most of a build's time), keyed by everything that shapes one:
 * the document's text, the settings, the email layouts, our rendering code and the MJML version.
 */
export class EmailCache {
  private readonly used = new Set<string>()

  private constructor(
    private readonly dir: string,
    private readonly base: string,
  ) {}

  /** Open (and create) the cache folder for builds with these settings and layouts. */
  static async open(dir: string, settings: Settings, layouts: Layouts): Promise<EmailCache> {
    const hash = createHash('sha256')
    hash.update(JSON.stringify(settings))
    for (const name of Object.keys(layouts.sources).sort()) hash.update(`\0${name}\0${layouts.sources[name]}`)
    for (const codeDir of codeDirs) {
      for (const name of (await readdir(codeDir)).sort()) hash.update(`\0${name}\0${await readFile(join(codeDir, name), 'utf8')}`)
    }
    hash.update(createRequire(import.meta.url)('mjml/package.json').version as string)
    await mkdir(dir, { recursive: true })
    return new EmailCache(dir, hash.digest('hex'))
  }

  private key(doc: RenderedDoc): string {
    return createHash('sha256').update(this.base).update(`\0${doc.doc.path}\0${String(doc.doc.file.value)}`).digest('hex')
  }

  /** The email built earlier from exactly this document, if any. */
  async get(doc: RenderedDoc): Promise<EmailArtifact | undefined> {
    const key = this.key(doc)
    this.used.add(key)
    try {
      return JSON.parse(await readFile(join(this.dir, `${key}.json`), 'utf8')) as EmailArtifact
    } catch {
      return undefined
    }
  }

  /** Keep an email for the next build (written beside and renamed, so a crash never leaves half an entry). */
  async set(doc: RenderedDoc, email: EmailArtifact): Promise<void> {
    const key = this.key(doc)
    this.used.add(key)
    await writeAtomic(join(this.dir, `${key}.json`), JSON.stringify(email))
  }

  /** Delete entries this build did not use, so the cache holds one build's worth of emails. */
  async prune(): Promise<void> {
    for (const name of await readdir(this.dir)) {
      if (!this.used.has(name.replace(/\.json$/, ''))) await rm(join(this.dir, name), { force: true })
    }
  }
}
