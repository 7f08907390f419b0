import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { Liquid, LiquidError } from 'liquidjs'
import { normalizeNewlines } from '../content/decode.ts'
import { NewsletterError, type Place } from '../errors.ts'

/** The email layouts, read once: Liquid-templated MJML in `layouts/email/`. */
export interface Layouts {
  dir: string
  /** The project root: layout files are named relative to it in messages. */
  root: string
  sources: Record<string, string>
  liquid: Liquid
}

// A marker appended to every template line, used only to trace an MJML error back to its layout line.
const mark = (file: string, line: number) => `\u0001${file}:${line}\u0001`
const markPattern = /\u0001([^:\u0001]+):(\d+)\u0001/

function createLiquid(sources: Record<string, string>): Liquid {
  // Every {{ value }} is HTML-escaped; only already-sanitized HTML is let through with `| raw`.
  const liquid = new Liquid({ templates: sources, outputEscape: 'escape', strictFilters: true, relativeReference: false, cache: true })
  liquid.registerFilter('nbsp', keepTogether)
  return liquid
}

/**
 * `{{ date | nbsp }}`: a date or label that never breaks across lines (`1 September 2026`, `12–14 Nov 2026`). Spaces
 * become no-break spaces, and a word joiner follows each dash, where browsers would otherwise break (UAX #14, BA).
 */
export function keepTogether(value: unknown): string {
  return String(value ?? '')
    .replace(/ /g, '\u00a0')
    .replace(/([–-])/g, '$1\u2060')
}

/** Read every `.mjml` file in the layouts folder (`root` is what messages name files relative to). */
export async function loadLayouts(dir: string, root: string): Promise<Layouts> {
  const sources: Record<string, string> = {}
  for (const name of (await readdir(dir)).filter((name) => name.endsWith('.mjml'))) {
    sources[name] = normalizeNewlines(await readFile(join(dir, name), 'utf8'))
  }
  return { dir, root, sources, liquid: createLiquid(sources) }
}

/** Fill a layout with a rendered document; template mistakes become positioned layout errors. */
export function fillLayout(layouts: Layouts, name: string, data: object): string {
  try {
    return layouts.liquid.renderFileSync(name, data) as string
  } catch (error) {
    throw layoutError(layouts, name, error)
  }
}

/** Which layout file and line produced a given line of the filled MJML. */
export function traceLine(layouts: Layouts, name: string, data: object, line: number): Place {
  const marked = Object.fromEntries(
    Object.entries(layouts.sources).map(([file, source]) => [
      file,
      source
        .split('\n')
        .map((text, i) => text + mark(file, i + 1))
        .join('\n'),
    ]),
  )
  const rendered = (createLiquid(marked).renderFileSync(name, data) as string).split('\n')[line - 1] ?? ''
  const found = markPattern.exec(rendered)
  return found ? { file: placeOf(layouts, found[1]!), line: Number(found[2]), column: 1 } : { file: placeOf(layouts, name), line, column: 1 }
}

function placeOf(layouts: Layouts, file: string): string {
  return relative(layouts.root, join(layouts.dir, file))
}

function layoutError(layouts: Layouts, name: string, error: unknown): NewsletterError {
  if (error instanceof LiquidError) {
    const [line = 1, column = 1] = error.token?.getPosition() ?? []
    const file = error.token?.file ?? name
    return new NewsletterError(
      `Layout: ${error.message.split(', line:')[0]}`,
      'layout',
      { file: placeOf(layouts, file), line, column },
      { cause: error, hint: 'Fix the Liquid tag on this line of the layout' },
    )
  }
  return new NewsletterError(`Layout ${name} could not be rendered: ${String(error)}`, 'layout', undefined, { cause: error })
}
