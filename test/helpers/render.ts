import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseSettings, type Settings } from '../../src/config.ts'
import { parseDoc, type Kind } from '../../src/content/load.ts'
import { buildEmail, type EmailArtifact } from '../../src/email/build-email.ts'
import { loadLayouts } from '../../src/email/layout.ts'
import { renderParts } from '../../src/markdown/parts.ts'

export const repo = join(import.meta.dirname, '..', '..')

/** The tests' own sample project content: a frozen copy, so a writer's half-finished draft in content/ never fails a test. */
export const sampleContent = join(repo, 'test', 'fixtures', 'project', 'content')

/** The test settings (test/fixtures/settings.yml), independent of the sample company's. */
export function testSettings(): Settings {
  const { settings, file } = parseSettings('settings.yml', readFileSync(join(repo, 'test/fixtures/settings.yml'), 'utf8'))
  if (!settings) throw new Error(String(file.messages))
  return settings
}

/** Markdown text → the email the real layouts make, failing loudly if the text has errors. */
export async function renderEmail(text: string, kind: Kind = 'issue', layoutsDir = join(repo, 'layouts/email')): Promise<EmailArtifact> {
  const { doc, file } = parseDoc('input.md', text, kind)
  if (!doc) throw new Error(file.messages.map(String).join('\n'))
  return buildEmail(renderParts(doc, { locale: 'en-GB' }), testSettings(), await loadLayouts(layoutsDir, repo))
}
