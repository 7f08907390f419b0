import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Definition, Image, Link } from 'mdast'
import { visit } from 'unist-util-visit'
import type { Position } from '../errors.ts'
import type { Emit } from './rules.ts'
import { placeOf, type Segment } from './segments.ts'

/** What link checks need to know beyond the document: which pages exist, where files live. */
export interface LinkContext {
  /** Slugs of every issue and notice, e.g. `issues/2026-11`, `notices/2026-10-14-vpn-outage`. */
  pages: Set<string>
  /** The archive's absolute URL (ends in `/`): links under it are checked like relative ones. */
  archiveUrl: string
  contentDir: string
}

/** A path with its %-escapes decoded, or undefined when an escape is not valid UTF-8 (`%FF`). */
function decodedPath(path: string): string | undefined {
  try {
    return decodeURI(path)
  } catch {
    return undefined
  }
}

/** An external link to fetch with `--online`, and everywhere it was used. */
export interface ExternalLink {
  url: string
  uses: { emit: Emit; place: Position | undefined }[]
}

/**
 * Links in a document's prose: pages of the archive and local images must exist, `mailto:` and `https:` links must be
 * well formed, `http:` is warned. External links are added to `external` for `--online`.
 */
export function checkLinks(docPath: string, segments: readonly Segment[], context: LinkContext, emit: Emit, external: Map<string, ExternalLink>): void {
  for (const segment of segments) {
    visit(segment.tree, (node) => {
      if (node.type !== 'link' && node.type !== 'image' && node.type !== 'definition') return
      const url = (node as Link | Image | Definition).url
      const place = placeOf(segment, node)
      if (node.type === 'image' && isLocal(url)) {
        const path = url.startsWith('/') ? join(context.contentDir, url) : resolve(dirname(docPath), url)
        const file = decodedPath(path.split(/[?#]/)[0]!)
        if (file === undefined) {
          emit('links/image', place, `The image path \`${url}\` has a broken %-escape`, 'Write the file name as it is, or escape a `%` as `%25`')
        } else if (!existsSync(file)) {
          emit(
            'links/image',
            place,
            `The image \`${url}\` does not exist`,
            url.startsWith('/') ? `Put it in ${join(context.contentDir, url)}` : `Paths are relative to ${dirname(docPath)}/`,
          )
        }
        return
      }
      const page = pageOf(url, context.archiveUrl)
      if (page !== undefined) {
        if (!context.pages.has(page))
          emit(
            'links/issue',
            place,
            `\`${url}\` links to ${page}, which does not exist`,
            'Check the slug: issues are YYYY-MM, notices are named after their file',
          )
        return
      }
      const problem = malformed(url)
      if (problem) {
        emit('links/malformed', place, problem.reason, problem.hint)
        return
      }
      if (/^http:/i.test(url)) {
        emit('links/http', place, `\`${url}\` is not secure (http:)`, `Use ${url.replace(/^http:/i, 'https:')} if the site supports it`)
      }
      if (/^https?:/i.test(url)) {
        const entry = external.get(url) ?? { url, uses: [] }
        entry.uses.push({ emit, place })
        external.set(url, entry)
      }
    })
  }
}

function isLocal(url: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('//')
}

// `/issues/2026-10/`, `../issues/2026-10/` or `<archive_url>issues/2026-10/` → `issues/2026-10`.
function pageOf(url: string, archiveUrl: string): string | undefined {
  const path = url.startsWith(archiveUrl) ? url.slice(archiveUrl.length) : isLocal(url) ? url : undefined
  const match = path && /(?:^|\/)(issues|notices)\/([^/?#]+)\/?(?:[?#].*)?$/.exec(path)
  return match ? `${match[1]}/${match[2]}` : undefined
}

function malformed(url: string): { reason: string; hint: string } | undefined {
  if (/^mailto:/i.test(url)) {
    return /^mailto:[^@\s?]+@[^@\s?]+\.[^@\s?.]+(\?\S*)?$/i.test(url)
      ? undefined
      : { reason: `\`${url}\` is not a valid mailto: link`, hint: 'Write it like mailto:helpdesk@example.com' }
  }
  if (/^https?:/i.test(url)) {
    let parsed: URL | undefined
    try {
      parsed = new URL(url)
    } catch {
      parsed = undefined
    }
    const ok = parsed && /^https?:\/\/[^\s/]/i.test(url) && (parsed.hostname.includes('.') || parsed.hostname === 'localhost') && !/\s/.test(url)
    return ok ? undefined : { reason: `\`${url}\` is not a valid web address`, hint: 'Write it like https://help.example.com/page' }
  }
  return undefined
}

/** How `--online` fetches. */
export interface OnlineOptions {
  /** Per request, in milliseconds (default: 10000). */
  timeoutMs?: number
  /** Requests in flight at once (default: 4). */
  concurrency?: number
}

/** Fetch every external link (HEAD, then GET if the server refuses HEAD) and report the ones that fail where they were used. */
export async function checkOnline(links: Iterable<ExternalLink>, options: OnlineOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000
  const concurrency = options.concurrency ?? 4
  const queue = [...links]
  const worker = async () => {
    for (let link = queue.shift(); link; link = queue.shift()) {
      const problem = await probe(link.url, timeoutMs)
      if (!problem) continue
      for (const use of link.uses) use.emit('links/online', use.place, `\`${link.url}\` ${problem}`, 'Fix or remove the link; check it in a browser')
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker))
}

async function probe(url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    let response = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) })
    // Some servers refuse HEAD (405, 501) or answer it wrongly; ask again with GET before calling the link broken.
    if (response.status >= 400) {
      response = await fetch(url, { method: 'GET', redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) })
      await response.body?.cancel()
    }
    return response.status >= 400 ? `answered ${response.status} ${response.statusText}`.trimEnd() : undefined
  } catch (error) {
    const cause = error as Error & { cause?: { code?: string; message?: string } }
    if (cause.name === 'TimeoutError') return `did not answer within ${timeoutMs / 1000} s`
    return `could not be reached (${cause.cause?.code ?? cause.cause?.message ?? cause.message})`
  }
}
