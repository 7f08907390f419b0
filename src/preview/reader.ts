import { collectMessages, formatText } from '../check/messages.ts'
import { NewsletterError } from '../errors.ts'
import { compileTemplate, fillTemplate, findSlots } from '../email/personalize.ts'
import { readRecipients } from '../send/recipients.ts'

/** One reader's fields, as a recipients CSV row gives them: `email`, `name`, and any other column. */
export type Reader = Record<string, string>

/** Who the preview personalizes for when no recipients file is given. */
export const sampleReader: Reader = { name: 'Sam Sample', email: 'sam@example.com' }

// The preview offers at most this many rows of a recipients file: enough to pick a few typical readers.
const maxReaders = 50

/**
 * The readers of a recipients CSV's first rows, read by the same reader the send uses (so a file the send takes is
 * one the preview takes), or the built-in sample. A file with errors in those rows throws, listing every one.
 */
export async function loadReaders(path: string | undefined): Promise<Reader[]> {
  if (!path) return [sampleReader]
  const { file, recipients } = await readRecipients(path, { rows: maxReaders })
  const errors = collectMessages([file]).filter((message) => message.severity === 'error')
  if (errors.length > 0) {
    throw new NewsletterError(`The recipients file cannot give sample readers; the send would refuse it too:\n${formatText(errors)}`, 'content', undefined, {
      hint: 'Fix every row listed above, or start the preview without --recipients',
    })
  }
  return recipients.map((recipient) => recipient.fields)
}

/** Fill `{{name}}`-style fields from a reader exactly as the send does (an empty or missing field gets its `|fallback`). */
export function personalize(template: string, reader: Reader, escape?: (value: string) => string): string {
  return fillTemplate(compileTemplate(template), reader, escape)
}

/** The `{{fields}}` a template uses that this reader has no value for. */
export function missingFields(template: string, reader: Reader): string[] {
  return [
    ...new Set(
      findSlots(template)
        .map((slot) => slot.field)
        .filter((key) => !(Object.hasOwn(reader, key) && reader[key])),
    ),
  ]
}
