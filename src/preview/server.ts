import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import { formatText } from '../check/messages.ts'
import { escapeHtml } from '../email/personalize.ts'
import { packageDir } from '../package-dir.ts'
import { defaultEditorUrl, docPage, editionDepartment, generalEdition, indexPage, notFoundPage } from './pages.ts'
import { loadReaders, personalize, type Reader } from './reader.ts'
import { applyScheme, isScheme, schemes } from './scheme.ts'
import { PreviewState, type Change } from './state.ts'
import { isLoopbackHost, listenOn, requestUrl } from '../site/serve.ts'
import { watchFolders } from './watch.ts'

/** Where the preview listens and what it reads. */
export interface PreviewOptions {
  /** Project folder holding content/ and layouts/ (default: the working directory). */
  root?: string
  /** Interface to bind (default: 127.0.0.1, this machine only). */
  host?: string
  /** TCP port (default: 8080; 0 picks a free one). */
  port?: number
  /** A recipients CSV whose first rows are the sample readers (default: one built-in sample reader). */
  recipients?: string
  /** Quiet time after the last file event before refreshing, in ms (default: 15). */
  debounceMs?: number
  /** Where the preview says what it is doing while it starts (default: nowhere). */
  progress?: (line: string) => void
  /** Where unexpected problems while refreshing are reported (default: nowhere). */
  log?: (line: string) => void
  /** Where the page's test send finds `SMTP_URL` (default: none, so test sends go to the outbox). */
  env?: Readonly<Record<string, string | undefined>>
}

/** A running preview. */
export interface PreviewServer {
  /** The address to open, e.g. http://127.0.0.1:8080/ */
  url: string
  /** Stop watching, end every open page's event stream, and stop listening. */
  close(): Promise<void>
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1'])
const security = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
}
// Preview pages run only their own script; emails and archive pages run none, as in a mail client.
const pageCsp = "default-src 'self'; img-src * data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
const emailCsp = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; font-src *; frame-ancestors 'self'"

// The page's own script, styles and icon are files in src/preview/client/, served as they are; tsc compiles only the
// TypeScript into dist/cli/, so they are found from the package folder whether the server runs from src/ or dist/cli/.
const clientDir = join(packageDir, 'src', 'preview', 'client')
// Browsers ask for /favicon.ico whatever the page links to.
const clientFiles = [
  { path: '/preview.css', file: 'preview.css', type: 'text/css' },
  { path: '/preview.js', file: 'preview.js', type: 'text/javascript' },
  { path: '/favicon.ico', file: 'favicon.svg', type: 'image/svg+xml' },
]

/** The client files by the path they are served at, read once so a missing file stops the preview at its start. */
async function readClientFiles(): Promise<Map<string, { type: string; body: string }>> {
  const files = await Promise.all(
    clientFiles.map(async ({ path, file, type }) => [path, { type, body: await readFile(join(clientDir, file), 'utf8') }] as const),
  )
  return new Map(files)
}

/**
 * Start the preview: read every document, serve the list, and re-render what changes on each save. Rendering and
 * checking every document happens in the background once the list is served, so the first page does not wait for it.
 */
export async function startPreview(options: PreviewOptions = {}): Promise<PreviewServer> {
  const host = options.host ?? '127.0.0.1'
  const root = options.root ?? process.cwd()
  const progress = options.progress ?? (() => {})
  // The routes that act (the test send, the approval) need this token, which only the preview's own pages carry.
  const token = randomBytes(24).toString('base64url')
  const readers = await loadReaders(options.recipients)
  const client = await readClientFiles()
  const state = new PreviewState(root)
  await state.refresh()

  const streams = new Set<ServerResponse>()
  const announce = (change: Change) => {
    if (!change.all && change.keys.length === 0) return
    for (const stream of streams) stream.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`)
  }
  // One background pass at a time renders what no page has asked for yet; the list updates when it ends.
  const stop = new AbortController()
  let background = Promise.resolve()
  const renderRest = (say: boolean) => {
    background = background.then(async () => {
      const from = performance.now()
      if (say) progress('Rendering and checking every document in the background…')
      try {
        const keys = await state.renderRest(stop.signal)
        if (stop.signal.aborted) return
        if (say) progress(`Rendered and checked ${keys.length} document${keys.length === 1 ? '' : 's'} in ${((performance.now() - from) / 1000).toFixed(1)} s`)
        announce({ all: false, keys })
      } catch (error) {
        options.log?.(`preview: rendering failed: ${(error as Error).stack ?? String(error)}`)
      }
    })
  }
  const watcher = watchFolders(
    [state.contentDir, state.layoutsDir],
    () =>
      state.refresh().then(
        (change) => {
          announce(change)
          if (change.all) renderRest(false)
        },
        (error: Error) => options.log?.(`preview: refresh failed: ${error.stack ?? error.message}`),
      ),
    options.debounceMs ?? 15,
  )

  let port = options.port ?? 8080
  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      options.log?.(`preview: ${request.url}: ${error.stack ?? error.message}`)
      if (!response.headersSent) send(response, 500, 'text/plain', `The preview failed: ${error.message}`)
      else response.end()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = requestUrl(request.url)
    if (!url) return send(response, 400, 'text/plain', 'Bad request target.')
    const path = url.pathname
    const actionPath = /^\/(issues|notices)\/([^/]+)\/(send-test|approve)$/.exec(path)
    if (request.method !== 'GET' && request.method !== 'HEAD' && !(request.method === 'POST' && actionPath)) {
      response.setHeader('Allow', actionPath ? 'POST' : 'GET, HEAD')
      return send(response, 405, 'text/plain', 'The preview only reads: use GET.')
    }
    // Bound to loopback, the preview must not answer pages that reach it by another name (DNS rebinding).
    if (loopback.has(host) && !isLoopbackHost(request.headers.host, port)) return send(response, 403, 'text/plain', 'Open the preview at its printed address.')
    if (actionPath) return act(request, response, `${actionPath[1]}/${decodeSegment(actionPath[2]!)}`, actionPath[3]!)
    if (path === '/') return send(response, 200, 'text/html', indexPage(state.list()), pageCsp)
    const file = client.get(path)
    if (file) return send(response, 200, file.type, file.body)
    if (path === '/events') return request.method === 'HEAD' ? send(response, 200, 'text/event-stream', '') : openStream(response)
    const match = /^\/(issues|notices)\/([^/]+)(\/(?:email\.html|email\.txt|archive\.html)?)?$/.exec(path)
    const view = match ? await state.view(`${match[1]}/${decodeSegment(match[2]!)}`) : undefined
    if (!match || !view)
      return send(response, 404, 'text/html', notFoundPage(`Nothing is previewed at ${path}. The list of issues and notices is at /.`), pageCsp)
    if (!match[3]) {
      response.setHeader('Location', `/${view.key}/`)
      return send(response, 308, 'text/plain', '')
    }
    const reader = readerIndex(url.searchParams.get('reader'), readers)
    if (reader === undefined) return send(response, 404, 'text/plain', `No sample reader ${url.searchParams.get('reader')}: there are ${readers.length}.`)
    // `?edition=` shows one department's edition (or the general one) in place of the whole document.
    const departments = state.departments?.list ?? []
    const edition = url.searchParams.get('edition') || undefined
    const picked = edition === undefined ? undefined : editionDepartment(edition, departments)
    if (edition !== undefined && !picked) {
      const known = [...departments.map((department) => department.id), generalEdition].join(', ')
      return send(
        response,
        404,
        'text/plain',
        departments.length > 0 ? `No edition \`${edition}\`: use one of ${known}.` : `No edition \`${edition}\`: the project has no content/departments.yml.`,
      )
    }
    const email = picked ? await state.edition(view.key, picked.department) : view.email
    if (match[3] === '/') {
      const settings = state.settings
      return send(
        response,
        200,
        'text/html',
        docPage({ ...view, email }, readers, reader, {
          editorUrl: settings?.preview?.editor_url ?? defaultEditorUrl,
          from: settings?.from ?? '',
          token,
          testTo: settings?.preview?.test_to ?? [],
          departments,
          edition,
        }),
        pageCsp,
      )
    }
    if (!email) return send(response, 409, 'text/plain', `${view.path} cannot be rendered:\n${formatText(view.messages)}`)
    if (match[3] === '/email.txt')
      return send(response, 200, 'text/plain', url.searchParams.has('reader') ? personalize(email.text, readers[reader]!) : email.text)
    if (match[3] === '/email.html') {
      const scheme = url.searchParams.get('scheme') ?? 'light'
      if (!isScheme(scheme)) return send(response, 404, 'text/plain', `No scheme \`${scheme}\`: use ${schemes.join(', ')}.`)
      const html = url.searchParams.has('reader') ? personalize(email.html, readers[reader]!, escapeHtml) : email.html
      return send(response, 200, 'text/html', applyScheme(html, scheme), emailCsp)
    }
    if (!view.archive) return send(response, 409, 'text/plain', `The archive page of ${view.path} cannot be rendered:\n${formatText(view.messages)}`)
    return send(response, 200, 'text/html', view.archive, emailCsp)
  }

  /**
   * The body of a request that acts (a test send, an approval), or undefined once it is refused: only on loopback, only
   * from the preview's own page (its Origin, and this run's token, which a page elsewhere cannot read), only JSON.
   */
  async function actionBody(request: IncomingMessage, response: ServerResponse): Promise<Record<string, unknown> | undefined> {
    // Off loopback the Host header cannot be checked, so a rebound name could read the token from a page.
    if (!loopback.has(host)) {
      send(response, 403, 'text/plain', 'Test sends and approvals from the page work only when the preview listens on this machine only (the default --host).')
      return undefined
    }
    // A page elsewhere can post here but cannot read the token, and browsers name its Origin: both refuse it.
    if (request.headers.origin !== `http://${request.headers.host}`) {
      send(response, 403, 'text/plain', 'Test sends and approvals must come from the preview page itself.')
      return undefined
    }
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      send(response, 415, 'text/plain', 'Send JSON.')
      return undefined
    }
    let body: unknown
    try {
      body = JSON.parse(await readBody(request, 4096))
    } catch {
      body = undefined
    }
    if (!body || typeof body !== 'object') {
      send(response, 400, 'text/plain', 'The request is not a JSON object of at most 4 KB.')
      return undefined
    }
    const fields = body as Record<string, unknown>
    if (typeof fields.token !== 'string' || !sameSecret(fields.token, token)) {
      send(response, 403, 'text/plain', 'The page is out of date or not the preview\u2019s own: reload it.')
      return undefined
    }
    return fields
  }

  async function act(request: IncomingMessage, response: ServerResponse, key: string, action: string): Promise<void> {
    const body = await actionBody(request, response)
    if (!body) return
    const view = await state.view(key)
    if (!view) return send(response, 404, 'text/plain', `Nothing is previewed at ${key}.`)
    if (action === 'approve') {
      const by = typeof body.by === 'string' ? body.by : ''
      if (by.trim() === '') return send(response, 400, 'application/json', JSON.stringify({ ok: false, output: 'Type the approver\u2019s name.' }))
      // The send and approval code (SQLite, nodemailer) loads when a page first acts, not at the start.
      const { approveFromPreview } = await import('./actions.ts')
      const result = await approveFromPreview(root, view.kind, view.slug, by)
      // The page that asked is shown the new state at once, before the file watcher would notice the write.
      if (result.ok) announce(await state.refresh())
      return send(response, 200, 'application/json', JSON.stringify(result))
    }
    const addresses = (typeof body.to === 'string' ? body.to : '').split(/[,;\s]+/).filter(Boolean)
    if (addresses.length === 0) return send(response, 400, 'application/json', JSON.stringify({ ok: false, output: 'Type at least one address.' }))
    const { sendTestFromPreview } = await import('./actions.ts')
    const result = await sendTestFromPreview(root, view.slug, addresses, options.env ?? {})
    return send(response, 200, 'application/json', JSON.stringify(result))
  }

  function openStream(response: ServerResponse): void {
    response.writeHead(200, { ...security, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' })
    // A page that lost the server (restarted) reconnects quickly.
    response.write('retry: 500\n\n')
    streams.add(response)
    response.on('close', () => streams.delete(response))
  }

  try {
    port = (await listenOn(server, port, host)).port
  } catch (error) {
    watcher.close()
    throw error
  }
  const documents = state.list()
  const issues = documents.filter((doc) => doc.kind === 'issue').length
  const notices = documents.length - issues
  progress(`Read ${issues} issue${issues === 1 ? '' : 's'} and ${notices} notice${notices === 1 ? '' : 's'}`)
  // The first page a browser asks for comes before the background work: it starts once a page is served or, when none
  // is asked for, shortly after the start.
  let warmed = false
  const warm = () => {
    if (warmed) return
    warmed = true
    clearTimeout(first)
    renderRest(true)
  }
  const first = setTimeout(warm, 250)
  server.once('request', (_request: IncomingMessage, response: ServerResponse) => response.once('finish', warm))
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    async close() {
      clearTimeout(first)
      stop.abort()
      watcher.close()
      for (const stream of streams) stream.end()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await background
    },
  }
}

function send(response: ServerResponse, status: number, type: string, body: string, csp?: string): void {
  response.writeHead(status, { ...security, 'Content-Type': `${type}; charset=utf-8`, ...(csp ? { 'Content-Security-Policy': csp } : {}) })
  response.end(response.req.method === 'HEAD' ? undefined : body)
}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => {
      body += chunk
      if (body.length > limit) {
        reject(new Error('too large'))
        request.destroy()
      }
    })
    request.on('end', () => resolve(body))
    request.on('error', reject)
  })
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    // A malformed escape names no document; an empty key matches none.
    return ''
  }
}

function readerIndex(value: string | null, readers: readonly Reader[]): number | undefined {
  if (value === null) return 0
  const index = /^\d+$/.test(value) ? Number(value) : -1
  return index >= 0 && index < readers.length ? index : undefined
}
