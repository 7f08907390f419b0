import type { Settings } from '../config.ts'
import type { RenderedDoc } from '../markdown/parts.ts'
import { codeVersion, DiskCache, hashOf } from '../project/cache.ts'
import type { EmailArtifact } from './build-email.ts'
import type { Layouts } from './layout.ts'

/**
 * Compiled emails kept between builds (MJML is most of a build's time), keyed by everything that shapes one:
 * the document's text, its numbers' comparisons, the settings, the email layouts, our code and the library versions.
 */
export class EmailCache {
  private constructor(
    private readonly entries: DiskCache<EmailArtifact>,
    private readonly base: string,
  ) {}

  /** Open (and create) the cache folder for builds with these settings and layouts. */
  static async open(dir: string, settings: Settings, layouts: Layouts): Promise<EmailCache> {
    const sources = Object.keys(layouts.sources)
      .sort()
      .flatMap((name) => [name, layouts.sources[name]!])
    return new EmailCache(new DiskCache(dir), hashOf(JSON.stringify(settings), ...sources, await codeVersion()))
  }

  private key(doc: RenderedDoc): string {
    // An issue's numbers are compared with earlier issues': their figures shape the email too.
    return hashOf(this.base, doc.doc.path, String(doc.doc.file.value), JSON.stringify(doc.issue?.numbers ?? null))
  }

  /** The email built earlier from exactly this document, if any. */
  get(doc: RenderedDoc): Promise<EmailArtifact | undefined> {
    return this.entries.get(this.key(doc))
  }

  /** Keep an email for the next build. */
  set(doc: RenderedDoc, email: EmailArtifact): Promise<void> {
    return this.entries.set(this.key(doc), email)
  }

  /** Delete entries this build did not use, so the cache holds one build's worth of emails. */
  prune(): Promise<void> {
    return this.entries.prune()
  }
}
