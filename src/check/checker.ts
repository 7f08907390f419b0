import type { Root } from 'mdast'
import { VFile } from 'vfile'
import type { Config } from '../config.ts'
import type { PreviousIssue } from '../content/project-history.ts'
import type { Doc } from '../content/types.ts'
import type { EmailArtifact } from '../email/build-email.ts'
import { report } from '../errors.ts'
import { checkContentSense, checkProjectSlips } from './content-sense.ts'
import { checkEmail } from './email-checks.ts'
import { emptyGlossary, type Glossary } from './glossary.ts'
import { checkLinks, checkOnline, type ExternalLink, type LinkContext, type OnlineOptions } from './links.ts'
import { checkPlaceholders } from './placeholders.ts'
import { createLexicon, type SimplifyPatterns } from './lexicon.ts'
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
  /** The writing checks on the body alone, for a file whose front matter has errors: all its problems show at once. */
  checkBody(path: string, text: string, body: Root): Promise<VFile>
  /** Checks that look at all documents at once (`--online`); call after the last `checkDoc`. */
  finish(): Promise<void>
}

/** What the checks know beyond one document: the glossary, which archive pages exist (`issues/2026-11`), the issue before. */
export interface CheckContext {
  glossary?: Glossary
  pages: Set<string>
  /** The issue before the one at this path, whose projects `sense/project-slip` compares with. */
  previousIssue?: (path: string) => PreviousIssue | undefined
}

/** A checker for documents of this project, given its glossary and pages. */
export async function createChecker(config: Config, project: CheckContext, options: CheckOptions = {}): Promise<Checker> {
  const lexicon = createLexicon(project.glossary ?? emptyGlossary, await simplifyPatterns())
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
      const source = String(doc.file.value ?? '')
      const file = new VFile({ path: doc.path, value: source })
      const emit = createEmitter(file, settings)
      checkDisableComments(source, file)
      const segments = docSegments(doc)
      checkPlaceholders(doc, emit, config.settings.language)
      checkContentSense(doc, emit, today)
      checkProjectSlips(doc, project.previousIssue?.(doc.path), emit)
      checkLinks(doc.path, segments, context, emit, external)
      checkEmail(email, segments, emit)
      await checkPlainLanguage(segments, lexicon, limits, emit, { gradeAt: doc.where('title') })
      return file
    },
    async checkBody(path, text, body) {
      const file = new VFile({ path, value: text })
      await checkPlainLanguage([{ tree: body, text }], lexicon, limits, createEmitter(file, settings))
      return file
    },
    async finish() {
      if (options.online) await checkOnline(external.values(), options.online === true ? {} : options.online)
    },
  }
}

// retext-simplify exports only its plugin; its phrase list sits next to it in the package and is read from there.
let patterns: Promise<SimplifyPatterns> | undefined
function simplifyPatterns(): Promise<SimplifyPatterns> {
  patterns ??= import(new URL('lib/patterns.js', import.meta.resolve('retext-simplify')).href).then((module: { patterns: SimplifyPatterns }) => module.patterns)
  return patterns
}

// A misspelt rule id in a disable comment would silently silence nothing.
function checkDisableComments(source: string, file: VFile): void {
  for (const [line, ids] of disabledLines(source)) {
    for (const id of ids) {
      if (!(id in rules))
        report(
          file,
          'warning',
          `Unknown rule \`${id}\` in a disable comment`,
          'check/unknown-rule',
          { line: line - 1, column: 1 },
          `Rules: ${Object.keys(rules).join(', ')}`,
        )
    }
  }
}
