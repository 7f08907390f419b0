import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { createChecker, type CheckOptions } from '../../src/check/checker.ts'
import { loadGlossary } from '../../src/check/glossary.ts'
import { collectMessages, type JsonMessage } from '../../src/check/messages.ts'
import { parseSettings, type Config, type Settings } from '../../src/config.ts'
import { parseDoc, type Loaded } from '../../src/content/load.ts'
import { buildEmail } from '../../src/email/build-email.ts'
import { loadLayouts } from '../../src/email/layout.ts'
import { renderParts } from '../../src/markdown/parts.ts'
import { sampleContent } from './render.ts'

const root = join(import.meta.dirname, '../..')

/** The sample settings, with extra keys merged over them. */
export async function sampleSettings(extra: Partial<Settings> = {}): Promise<Settings> {
  const { settings } = parseSettings('settings.yml', await readFile(join(sampleContent, 'settings.yml'), 'utf8'))
  return { ...settings!, ...extra }
}

/** A fixture folder's documents (`*.md`: notices when they have a `service:` line, else issues), each optionally rewritten before parsing. */
export async function loadFixtures(dir: string, names: readonly string[], rewrite: (text: string) => string = (text) => text): Promise<Loaded[]> {
  return Promise.all(
    names.map(async (name) => {
      const text = rewrite(await readFile(join(dir, name), 'utf8'))
      return parseDoc(relative(root, join(dir, name)), text, /^service:/m.test(text) ? 'notice' : 'issue')
    }),
  )
}

let layouts: Awaited<ReturnType<typeof loadLayouts>> | undefined

/** Build every loaded fixture's email with the real layouts and run every check; the messages of all files. */
export async function checkFixtures(dir: string, loaded: Loaded[], options: CheckOptions & { settings?: Settings } = {}): Promise<JsonMessage[]> {
  const settings = options.settings ?? (await sampleSettings())
  const config: Config = { root, contentDir: dir, layoutsDir: join(root, 'layouts'), outDir: join(dir, 'dist'), settingsPath: '', settings }
  layouts ??= await loadLayouts(join(root, 'layouts/email'), root)
  const { glossary } = await loadGlossary(join(dir, 'glossary.yml'), 'glossary.yml')
  const pages = new Set(loaded.flatMap(({ doc }) => (doc ? [`${doc.meta.kind === 'issue' ? 'issues' : 'notices'}/${doc.slug}`] : [])))
  const checker = await createChecker(config, { glossary, pages }, { today: new Date('2026-11-22T12:00:00Z'), ...options })
  const findings = []
  for (const { doc, file } of loaded) {
    if (!doc) throw new Error(`fixture ${file.path} does not pass the schema: ${file.messages.join('; ')}`)
    findings.push(await checker.checkDoc(doc, await buildEmail(renderParts(doc), settings, layouts)))
  }
  await checker.finish()
  return collectMessages([...loaded.map(({ file }) => file), ...findings])
}

/** `file:line:col rule` for each message: what fixture tests compare. */
export function positions(messages: readonly JsonMessage[], rule: string): string[] {
  return messages
    .filter((message) => message.rule === rule)
    .map((message) => `${message.file.split('/').pop()}:${message.line}:${message.column} ${message.message}`)
}
