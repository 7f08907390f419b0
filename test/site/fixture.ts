import { cp, mkdtemp, readdir, readFile, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { Parser } from 'htmlparser2'
import { failed, runPipeline, type Pipeline } from '../../src/project/pipeline.ts'
import type { Config } from '../../src/config.ts'
import type { Departments } from '../../src/content/departments.ts'
import { loadProject } from '../../src/project/project.ts'
import { buildSite } from '../../src/site/build-site.ts'
import { replaceDir } from '../../src/project/write.ts'
import { sampleContent } from '../helpers/render.ts'

const repo = join(import.meta.dirname, '..', '..')

/** A site built from test/fixtures/site/content: a copy of the samples plus one more published issue, a draft and an issue in review. */
export interface BuiltSite {
  root: string
  config: Config
  pipeline: Pipeline
  dir: string
}

/** The archive into `<outDir>/site`, swapped in whole as `build` does; a failure leaves the previous one. */
export async function writeSite(pipeline: Pipeline, config: Config, departments?: Departments): Promise<{ dir: string }> {
  const dir = join(config.outDir, 'site')
  await replaceDir(dir, (temporary) => buildSite(pipeline, config, temporary, departments))
  return { dir }
}

/** Copy the site fixtures into a temporary project and build its archive (the checkout's own content/ is never read). */
export async function buildFixtureSite(options: { drafts: boolean }): Promise<BuiltSite> {
  const root = await mkdtemp(join(tmpdir(), 'newsletter-site-'))
  await cp(sampleContent, join(root, 'content'), { recursive: true })
  await symlink(join(repo, 'layouts'), join(root, 'layouts'))
  for (const name of await readdir(join(repo, 'test', 'fixtures', 'site'))) {
    await cp(join(repo, 'test', 'fixtures', 'site', name), join(root, 'content', 'issues', name))
  }
  const project = await loadProject(root)
  const config = project.config
  if (!config) throw new Error('sample settings did not load')
  const pipeline = await runPipeline(project, { drafts: options.drafts })
  if (failed(pipeline)) throw new Error(pipeline.files.flatMap((file) => file.messages.map(String)).join('\n'))
  const { dir } = await writeSite(pipeline, config)
  return { root, config, pipeline, dir }
}

/** Every file under a folder, as paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)))
}

interface ParsedPage {
  ids: Set<string>
  links: string[]
}

function parsePage(html: string): ParsedPage {
  const ids = new Set<string>()
  const links: string[] = []
  const parser = new Parser({
    onopentag(name, attributes) {
      if (attributes.id) ids.add(attributes.id)
      const link = name === 'a' || name === 'link' ? attributes.href : name === 'script' || name === 'img' ? attributes.src : undefined
      if (link !== undefined) links.push(link)
    },
  })
  parser.write(html)
  parser.end()
  return { ids, links }
}

/**
 * Follow every link in every HTML page of a built site served at `siteUrl` (absolute, ending in `/`): links that
 * stay inside the site must reach a file, and a `#fragment` must name an element of the target page.
 */
export async function brokenLinks(dir: string, siteUrl: string): Promise<string[]> {
  const pages = (await listFiles(dir)).filter((file) => file.endsWith('.html') && !file.startsWith('pagefind/'))
  const parsed = new Map<string, ParsedPage>()
  for (const file of pages) parsed.set(file, parsePage(await readFile(join(dir, file), 'utf8')))
  const files = new Set(await listFiles(dir))
  const broken: string[] = []
  for (const [file, { links }] of parsed) {
    const pageUrl = new URL(file.replace(/(^|\/)index\.html$/, '$1'), siteUrl)
    for (const link of links) {
      const url = new URL(link, pageUrl)
      if (!url.href.startsWith(siteUrl)) continue
      const path = decodeURIComponent(url.pathname.slice(new URL(siteUrl).pathname.length))
      const target = path === '' || path.endsWith('/') ? `${path}index.html` : path
      if (!files.has(target)) broken.push(`${file}: ${link} (no ${target})`)
      else if (url.hash && target.endsWith('.html') && !parsed.get(target)?.ids.has(decodeURIComponent(url.hash.slice(1))))
        broken.push(`${file}: ${link} (no id ${url.hash} in ${target})`)
    }
  }
  return broken
}
