import { toString } from 'mdast-util-to-string'
import { monthLabel } from '../content/clock.ts'
import type { Doc } from '../content/types.ts'
import { placeholders } from '../content/new-doc.ts'
import type { Emit } from './rules.ts'

const hint = 'Replace it with your own words: readers would see this prompt'

/** Prompts from `newsletter new` still in a document, and a notice still named `…-notice.md`. */
export function checkPlaceholders(doc: Doc, emit: Emit, language: string | undefined): void {
  const { meta } = doc
  const fields: [string, string | undefined, readonly string[]][] = [
    ['title', meta.title, placeholders.title],
    ['summary', meta.summary, placeholders.summary],
  ]
  if (meta.kind === 'issue') {
    // `new` titles an issue with its month alone ("December 2026"): the headline is still to be written.
    const month = monthLabel(meta.date, language)
    if (meta.title.trim() === month)
      emit(
        'content/placeholder',
        doc.where('title'),
        `The title \`${meta.title}\` is only the month`,
        'Say the one or two things readers must know: "December: Windows restarts and QR-code phishing"',
      )
    if (meta.top_question) fields.push(['top_question.answer', meta.top_question.answer, placeholders.answer])
  } else {
    fields.push(['service', meta.service, placeholders.service], ['impact', meta.impact, placeholders.impact])
    if (doc.slug.endsWith('-notice')) {
      emit(
        'content/file-name',
        { line: 1, column: 1 },
        `The file name \`${doc.slug}.md\` still ends in \`-notice\`; it becomes the notice's web address`,
        `Rename it after the service, like ${doc.slug.replace(/-notice$/, '-vpn-outage')}.md`,
      )
    }
  }
  // The body's prompts (the "You told us" stub): a paragraph still holding one.
  for (const node of doc.body.children) {
    const text = node.type === 'paragraph' ? toString(node) : ''
    const prompt = placeholders.body.find((each) => text.includes(each))
    const start = node.position?.start
    if (prompt && start) emit('content/placeholder', { line: start.line, column: start.column }, `The paragraph still has the prompt \`${prompt}\``, hint)
  }
  for (const [path, value, prompts] of fields) {
    if (value !== undefined && prompts.includes(value.trim()))
      emit('content/placeholder', doc.where(path), `\`${path}\` still has the prompt \`${value.trim()}\``, hint)
  }
}
