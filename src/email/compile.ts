import type mjml2html from 'mjml'
import { NewsletterError, type Place } from '../errors.ts'

/** An MJML validation problem at a line of the MJML that was compiled. */
export interface MjmlProblem {
  line: number
  message: string
  tagName: string
}

/** Options every compile uses: strict validation, no includes, no .mjmlconfig, no web fonts. */
export const mjmlOptions = {
  validationLevel: 'strict',
  ignoreIncludes: true,
  useMjmlConfigOptions: false,
  keepComments: false,
  fonts: {},
} as const

/** Compiles MJML to HTML with `mjmlOptions`; rejects with MJML's error (its `errors` list the problems). */
export type MjmlRunner = (source: string) => Promise<string>

let mjml: Promise<typeof mjml2html> | undefined

/** MJML in this thread; the library is loaded at the first email that is not in a cache. */
export const compileHere: MjmlRunner = async (source) => {
  mjml ??= import('mjml').then((module) => module.default)
  return (await (await mjml)(source, mjmlOptions)).html
}

/**
 * MJML → email HTML, here or on a worker (`run`). `trace` turns a line of the MJML into a layout file and line, so a
 * validation error names the layout line a person edits, not the generated MJML.
 */
export async function compileMjml(source: string, trace: (line: number) => Place, run: MjmlRunner = compileHere): Promise<string> {
  try {
    return await run(source)
  } catch (error) {
    const problems = (error as { errors?: MjmlProblem[] }).errors
    const first = problems?.[0]
    if (!first) throw new NewsletterError(`MJML could not compile the layout: ${String(error)}`, 'layout', undefined, { cause: error })
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''
    throw new NewsletterError(`MJML: <${first.tagName}>: ${first.message}${more}`, 'layout', trace(first.line), {
      cause: error,
      hint: 'Fix the element on this line of the layout; see https://documentation.mjml.io for what it accepts',
    })
  }
}
