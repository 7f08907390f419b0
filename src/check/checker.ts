import { VFile } from 'vfile'
import type { Config } from '../config.ts'
import type { Doc } from '../content/types.ts'
import type { EmailArtifact } from '../email/build-email.ts'
import { report } from '../errors.ts'
import { checkContentSense } from './content-sense.ts'
import { checkEmail } from './email-checks.ts'
import { emptyGlossary, type Glossary } from './glossary.ts'
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

/** Runs every check on each built document and returns what it found; the loaded documents are never written to. */
export interface Checker {
  /** This document's writing and email findings, on a new file named like the document. */
  checkDoc(doc: Doc, email: EmailArtifact): Promise<VFile>
  /** Checks that look at all documents at once (`--online`); call after the last `checkDoc`. */
  finish(): Promise<void>
}

/** What the checks know beyond one document: the glossary and which archive pages exist (`issues/2026-11`). */
export interface CheckContext {
  glossary?: Glossary
  pages: Set<string>
}

/** A checker for documents of this project, given its glossary and pages. */
export function createChecker(config: Config, project: CheckContext, options: CheckOptions = {}): Checker {
  const terms: Glossary = project.glossary ?? emptyGlossary
  const settings = config.settings.checks
  const limits = limitsOf(settings)
  const context: LinkContext = {
    pages: project.pages,
    archiveUrl: config.settings.archive_url,
    contentDir: config.contentDir,
  }
  const external = new Map<string, ExternalLink>()
  const today = options.today ?? new Date()
  return {
    async checkDoc(doc, email) {
      const findings = new VFile({ path: doc.path, value: doc.file.value })
      const emit = createEmitter(findings, settings)
      checkDisableComments(findings)
      const segments = docSegments(doc)
      checkContentSense(doc, emit, today)
      checkLinks(doc.path, segments, context, emit, external)
      checkEmail(email, segments, emit)
      await checkPlainLanguage(segments, terms, limits, emit, doc.where('title'))
      return findings
    },
    async finish() {
      if (options.online) await checkOnline(external.values(), options.online === true ? {} : options.online)
    },
  }
}

// A misspelt rule id in a disable comment would silently silence nothing.
function checkDisableComments(file: VFile): void {
  for (const [line, ids] of disabledLines(String(file.value ?? ''))) {
    for (const id of ids) {
      if (!(id in rules)) report(file, 'warning', `Unknown rule \`${id}\` in a disable comment`, 'check/unknown-rule', { line: line - 1, column: 1 }, `Rules: ${Object.keys(rules).join(', ')}`)
    }
  }
}
