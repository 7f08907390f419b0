import { join, relative } from 'node:path'
import type { VFile } from 'vfile'
import type { Config } from '../config.ts'
import type { Loaded } from '../content/load.ts'
import type { Doc } from '../content/types.ts'
import type { EmailArtifact } from '../email/build-email.ts'
import { report } from '../errors.ts'
import { checkContentSense } from './content-sense.ts'
import { checkEmail } from './email-checks.ts'
import { emptyGlossary, loadGlossary, type Glossary } from './glossary.ts'
import { checkLinks, checkOnline, type ExternalLink, type LinkContext, type OnlineOptions } from './links.ts'
import { checkPlainLanguage } from './plain-language.ts'
import { createEmitter, limitsOf, rules, disabledLines } from './rules.ts'
import { docSegments } from './segments.ts'

/** How a pass of checks runs. */
export interface CheckOptions {
  /** Fetch external links (default: false). */
  online?: boolean | OnlineOptions
  /** "Today", for date checks (default: now). */
  today?: Date
}

/** Runs every check on each built document; messages go on the documents' files. */
export interface Checker {
  /** The glossary file, with its own messages. */
  file: VFile
  checkDoc(doc: Doc, email: EmailArtifact): Promise<void>
  /** Checks that look at all documents at once (`--online`); call after the last `checkDoc`. */
  finish(): Promise<void>
}

/** Load the glossary and learn which pages exist, then check documents one by one. */
export async function createChecker(config: Config, loaded: readonly Loaded[], options: CheckOptions = {}): Promise<Checker> {
  const glossaryPath = join(config.contentDir, 'glossary.yml')
  const { file, glossary } = await loadGlossary(glossaryPath, relative(process.cwd(), glossaryPath) || glossaryPath)
  const terms: Glossary = glossary ?? emptyGlossary
  const settings = config.settings.checks
  const limits = limitsOf(settings)
  const context: LinkContext = {
    pages: new Set(loaded.flatMap(({ doc }) => (doc ? [`${doc.meta.kind === 'issue' ? 'issues' : 'notices'}/${doc.slug}`] : []))),
    archiveUrl: config.settings.archive_url,
    contentDir: config.contentDir,
  }
  const external = new Map<string, ExternalLink>()
  const today = options.today ?? new Date()
  return {
    file,
    async checkDoc(doc, email) {
      const emit = createEmitter(doc.file, settings)
      checkDisableComments(doc)
      const segments = docSegments(doc)
      checkContentSense(doc, emit, today)
      checkLinks(doc.path, segments, context, emit, external)
      checkEmail(email, segments, emit)
      await checkPlainLanguage(segments, terms, limits, emit, doc.where('title'))
    },
    async finish() {
      if (options.online) await checkOnline(external.values(), options.online === true ? {} : options.online)
    },
  }
}

// A misspelt rule id in a disable comment would silently silence nothing.
function checkDisableComments(doc: Doc): void {
  for (const [line, ids] of disabledLines(String(doc.file.value ?? ''))) {
    for (const id of ids) {
      if (!(id in rules)) report(doc.file, 'warning', `Unknown rule \`${id}\` in a disable comment`, 'check/unknown-rule', { line: line - 1, column: 1 }, `Rules: ${Object.keys(rules).join(', ')}`)
    }
  }
}
