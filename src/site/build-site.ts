import { join, relative } from 'node:path'
import Eleventy, { type UserConfig } from '@11ty/eleventy'
import type { LiquidError } from 'liquidjs'
import * as pagefind from 'pagefind'
import type { Pipeline } from '../project/pipeline.ts'
import { writeFiles } from '../project/write.ts'
import type { Config } from '../config.ts'
import { packageDir } from '../package-dir.ts'
import { fillWithFallbacks } from '../email/personalize.ts'
import { addressOf } from '../content/address.ts'
import { NewsletterError } from '../errors.ts'
import type { EmailArtifact } from '../email/build-email.ts'
import type { RenderedDoc } from '../markdown/parts.ts'
import type { Departments } from '../content/departments.ts'
import { docView, siteData, type SiteData } from './data.ts'
import { createSiteLiquid, liquidOptions } from './templates.ts'

// Page templates and Eleventy's config are not compiled: found from the package folder, whether this module runs
// from src/ or from the compiled dist/cli/.
const pagesDir = join(packageDir, 'src', 'site', 'pages')
const eleventyConfigPath = join(packageDir, '.eleventy.js')

/**
 * Build the archive into `dir`: each email exactly as built, the Eleventy pages, then the search index. `departments`
 * (departments.yml) label what is written for some of them and make `/departments/`. Returns the page count.
 */
export async function buildSite(pipeline: Pipeline, config: Config, dir: string, departments?: Departments): Promise<number> {
  const emails = await writeEmailPages(pipeline.emails, dir)
  return emails + (await buildPages(pipeline.rendered, config, dir, departments))
}

/** "View in browser": each email as built, its slots filled as on every other page, at its address. Returns how many. */
async function writeEmailPages(emails: readonly EmailArtifact[], dir: string): Promise<number> {
  await writeFiles(
    dir,
    emails.map((email) => ({ path: join(addressOf(email).email, 'index.html'), content: fillWithFallbacks(email.html) })),
  )
  return emails.length
}

/** The archive's pages from the rendered documents (Eleventy), then the search index over them. Returns the page count. */
async function buildPages(rendered: readonly RenderedDoc[], config: Config, dir: string, departments: Departments | undefined): Promise<number> {
  const data = siteData(rendered, config.settings, departments)
  const pages = await runEleventy(data, config, dir)
  // `/status.json` for intranet widgets, and each maintenance's calendar file beside its page
  await writeFiles(dir, data.files)
  // Search index over the issue and notice pages (they mark their text with data-pagefind-body)
  await indexSite(dir, config.settings.language)
  return pages
}

async function runEleventy(data: SiteData, config: Config, dir: string): Promise<number> {
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
    },
  })
  eleventy.disableLogger()
  try {
    const [, written] = await eleventy.write()
    return written.filter((page) => typeof page.outputPath === 'string' && page.outputPath.endsWith('.html')).length
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
  const site = siteData([doc], config.settings, departments)
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
