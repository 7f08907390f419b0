import { link, mkdir } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import Eleventy, { type UserConfig } from '@11ty/eleventy'
import type { LiquidError } from 'liquidjs'
import * as pagefind from 'pagefind'
import { writeFiles } from '../project/write.ts'
import type { Config } from '../config.ts'
import { packageDir } from '../package-dir.ts'
import { fillWithFallbacks } from '../email/personalize.ts'
import { addressOf } from '../content/address.ts'
import { NewsletterError } from '../errors.ts'
import type { Departments } from '../content/departments.ts'
import type { RenderedDoc, RenderedView } from '../markdown/parts.ts'
import type { EmailArtifact } from '../email/build-email.ts'
import { codeVersion, hashOf, readTree } from '../project/cache.ts'
import { docView, siteData, type SiteContext, type SiteData } from './data.ts'
import { planPages, renderLists } from './page-plan.ts'
import { createSiteLiquid, liquidOptions } from './templates.ts'

// Page templates and Eleventy's config are not compiled: found from the package folder, whether this module runs
// from src/ or from the compiled dist/cli/.
const pagesDir = join(packageDir, 'src', 'site', 'pages')
const eleventyConfigPath = join(packageDir, '.eleventy.js')

/** What the archive is made of: the published documents' renderings and their emails. */
export interface SiteInput {
  rendered: readonly RenderedView[]
  emails: readonly Pick<EmailArtifact, 'kind' | 'slug' | 'html'>[]
}

/** What a build of the archive left, for the next build into the same folder: the folder and each file's key. */
export interface SiteRecord {
  dir: string
  keys: Record<string, string>
}

/** How many HTML pages the archive has, and the record of what made each file. */
export interface SiteBuild {
  pages: number
  keys: Record<string, string>
  /** Pages and emails written now, of how many files (the others were kept from the last build). */
  rendered: number
  files: number
}

/**
 * Build the archive into `dir`: each email exactly as built, the Eleventy pages, then the search index. `context`
 * (departments.yml, readers' answers) labels what is written for some departments, makes `/departments/` and shows
 * the answers. With `last`, a file whose key is unchanged since that build is taken from its folder as it is, and
 * only the pages that changed are rendered: the result is byte for byte what a build from nothing gives.
 */
export async function buildSite(pipeline: SiteInput, config: Config, dir: string, context: SiteContext = {}, last?: SiteRecord): Promise<SiteBuild> {
  const layoutsDir = join(config.layoutsDir, 'site')
  const data = siteData(pipeline.rendered, config.settings, context)
  const salt = hashOf(await codeVersion(), JSON.stringify(config.settings), ...(await readTree(layoutsDir)).flat())
  const planned = await planPages(data, pagesDir, layoutsDir, salt)
  const emails = pipeline.emails.map((email) => {
    const html = fillWithFallbacks(email.html)
    return { file: join(addressOf(email).email, 'index.html'), content: html, key: hashOf(salt, html) }
  })
  const keys: Record<string, string> = {}
  for (const { file, key } of [...planned, ...emails]) if (key) keys[file] = key
  const kept = await keepUnchanged(keys, last, dir)
  await writeFiles(
    dir,
    emails.filter((email) => !kept.has(email.file)).map(({ file, content }) => ({ path: file, content })),
  )
  await runEleventy(renderLists(planned.filter((page) => !kept.has(page.file))), data, config, dir)
  // `/status.json` for intranet widgets, and each maintenance's calendar file beside its page
  await writeFiles(dir, data.files)
  // Search index over the issue and notice pages (they mark their text with data-pagefind-body)
  await indexSite(dir, config.settings.language)
  const files = planned.length + emails.length
  return { pages: emails.length + planned.filter((page) => page.file.endsWith('.html')).length, keys, rendered: files - kept.size, files }
}

/**
 * Hard-link into `dir` each file of the last build whose key is the same now; returns the files kept. A file that is
 * gone from the last folder is simply built again.
 */
async function keepUnchanged(keys: Record<string, string>, last: SiteRecord | undefined, dir: string): Promise<Set<string>> {
  const kept = new Set<string>()
  if (!last) return kept
  const made = new Set<string>()
  for (const [file, key] of Object.entries(keys)) {
    if (last.keys[file] !== key) continue
    const folder = dirname(join(dir, file))
    if (!made.has(folder)) {
      await mkdir(folder, { recursive: true })
      made.add(folder)
    }
    const linked = await link(join(last.dir, file), join(dir, file)).then(
      () => true,
      () => false,
    )
    if (linked) kept.add(file)
  }
  return kept
}

async function runEleventy(render: Record<string, unknown[]>, data: SiteData, config: Config, dir: string): Promise<void> {
  const layoutsDir = join(config.layoutsDir, 'site')
  const eleventy = new Eleventy(pagesDir, dir, {
    quietMode: true,
    configPath: eleventyConfigPath,
    config(eleventyConfig: UserConfig) {
      eleventyConfig.setIncludesDirectory(relative(pagesDir, layoutsDir))
      eleventyConfig.setLiquidOptions(liquidOptions)
      // The archive is read by everyone: `{{name}}`-style slots get their fallbacks, as for a reader without fields.
      eleventyConfig.addTransform('fill-slots', (content: unknown) => (typeof content === 'string' ? fillWithFallbacks(content) : content))
      eleventyConfig.addGlobalData('site', data)
      // Each page template paginates over its list here: every page on a full build, the changed ones otherwise.
      eleventyConfig.addGlobalData('render', render)
    },
  })
  eleventy.disableLogger()
  try {
    await eleventy.write()
  } catch (error) {
    throw siteLayoutError(error, layoutsDir)
  }
}

async function indexSite(dir: string, language: string): Promise<void> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: language.split('-')[0] })
  try {
    if (!index) throw new Error(errors.join('; '))
    const added = await index.addDirectory({ path: dir })
    const written = await index.writeFiles({ outputPath: join(dir, 'pagefind') })
    const problems = [...added.errors, ...written.errors]
    if (problems.length > 0) throw new Error(problems.join('; '))
  } catch (error) {
    throw new NewsletterError(`Search index could not be built: ${(error as Error).message}`, 'io', undefined, {
      cause: error,
      hint: 'Nothing was replaced in the site folder',
    })
  } finally {
    await pagefind.close()
  }
}

/** The archive page of one document, draft or not, rendered with the same layouts as the site, without a site build (for the preview). */
export async function renderDocPage(doc: RenderedDoc, config: Config, departments?: Departments): Promise<string> {
  const site = siteData([doc], config.settings, { departments })
  const entry = docView(doc, site.base, departments)
  const layoutsDir = join(config.layoutsDir, 'site')
  const liquid = createSiteLiquid(layoutsDir)
  const page = { url: `/${entry.path}` }
  try {
    const content = await liquid.renderFile(`${doc.kind}.liquid`, { site, entry, page })
    return fillWithFallbacks(await liquid.renderFile('base.liquid', { site, page, title: entry.title, content }))
  } catch (error) {
    throw siteLayoutError(error, layoutsDir)
  }
}

/** A template mistake in layouts/site, wherever it surfaced, as an error naming the layout file, line and column. */
function siteLayoutError(error: unknown, layoutsDir: string): NewsletterError {
  // Eleventy wraps the Liquid error (in `originalError`); the innermost one with a token knows the position.
  for (let cause: unknown = error; cause instanceof Error; cause = (cause as { originalError?: unknown }).originalError ?? cause.cause) {
    const token = (cause as Partial<LiquidError>).token
    if (token) {
      const [line = 1, column = 1] = token.getPosition()
      const file = relative(process.cwd(), token.file ?? layoutsDir)
      return new NewsletterError(
        `Site layout: ${cause.message.split(', line:')[0]}`,
        'layout',
        { file, line, column },
        { cause: error, hint: 'Fix the Liquid tag on this line of the site layout; nothing was replaced' },
      )
    }
  }
  return new NewsletterError(`The archive site could not be built: ${(error as Error).message}`, 'layout', undefined, {
    cause: error,
    hint: 'Nothing was replaced in the site folder',
  })
}
