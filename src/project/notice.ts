import { collectMessages, type JsonMessage } from '../check/report.ts'
import type { Config } from '../config.ts'
import { closest } from '../content/schema.ts'
import type { Notice } from '../content/types.ts'
import { hasErrors, NewsletterError } from '../errors.ts'
import { loadProject } from './project.ts'

/** One notice loaded for a command that acts on it, or the errors that stop it. */
export type LoadedNotice = { config: Config; notice: Notice; text: string } | { errors: JsonMessage[] }

/**
 * Load the settings and the one notice named `slug`, validating nothing else: a typo in another file never holds up
 * an urgent notice. Throws a usage error when there is no such notice (with the closest name).
 */
export async function loadNotice(root: string, slug: string): Promise<LoadedNotice> {
  const project = await loadProject(root, { only: (source) => source.kind === 'notice' && source.slug === slug })
  if (!project.config) return { errors: collectMessages([project.settingsFile]).filter((m) => m.severity === 'error') }
  const [entry] = project.sources
  if (!entry) {
    if (project.pages.has(`issues/${slug}`))
      throw new NewsletterError(`\`${slug}\` is an issue, not a notice`, 'usage', undefined, { hint: 'Updates are for service notices (content/notices/)' })
    const notices = [...project.pages].flatMap((page) => (page.startsWith('notices/') ? [page.slice('notices/'.length)] : []))
    const guess = closest(slug, notices)
    throw new NewsletterError(`No notice named \`${slug}\` in content/notices/`, 'usage', undefined, {
      hint: guess ? `Did you mean \`${guess}\`?` : notices.length > 0 ? `Notices: ${notices.join(', ')}` : 'Start one with: newsletter new --notice',
    })
  }
  const { loaded, text } = entry
  if (!loaded.doc || hasErrors([loaded.file]) || text === undefined) return { errors: collectMessages([loaded.file]).filter((m) => m.severity === 'error') }
  return { config: project.config, notice: loaded.doc as Notice, text }
}
