import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, resolve, sep } from 'node:path'
import { NewsletterError } from '../errors.ts'

/** Where to serve a built archive from and on. */
export interface ServeOptions {
  /** The built site, e.g. `dist/site`. */
  dir: string
  /** The path the site lives under, e.g. `/it-news/` (from `archive_url`). */
  base: string
  /** Port to listen on (default: 8081; 0 picks a free one). */
  port?: number
  /** Interface to bind (default: 127.0.0.1, this machine only). */
  host?: string
}

/** A running archive server: its address (ending in the base path) and how to stop it. */
export interface SiteServer {
  url: string
  close(): Promise<void>
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
}

/**
 * Serve a built archive as an intranet web server would: under its base path, `x/` answered by `x/index.html`,
 * `x` redirected to `x/` when it is a folder, and `404.html` for anything missing. `/` redirects to the base path.
 */
export async function serveSite(options: ServeOptions): Promise<SiteServer> {
  const root = resolve(options.dir)
  const base = options.base
  if (
    !(await stat(join(root, 'index.html')).then(
      (info) => info.isFile(),
      () => false,
    ))
  ) {
    throw new NewsletterError(`There is no built archive in ${options.dir}`, 'io', undefined, { hint: 'Run `npm run build` first' })
  }
  const server = createServer((request, response) => {
    answer(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      response.end('internal error')
    })
  })

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    const url = requestUrl(request.url)
    if (!url) return void response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad request target')
    // Bound to loopback, the archive (drafts too, after `build --drafts`) must not answer a page that reached it by
    // another name (DNS rebinding).
    if (loopback.has(host) && !isLoopbackHost(request.headers.host, port))
      return void response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Open the archive at its printed address.')
    if (url.pathname !== base && (url.pathname === '/' || `${url.pathname}/` === base)) return redirect(response, base + url.search)
    const file = fileFor(root, base, url.pathname)
    const info = file ? await stat(file).catch(() => undefined) : undefined
    if (file && info?.isDirectory() && !url.pathname.endsWith('/')) return redirect(response, `${url.pathname}/${url.search}`)
    if (file && (await send(request, response, info?.isDirectory() ? join(file, 'index.html') : file, 200))) return
    if (!(await send(request, response, join(root, '404.html'), 404))) response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found')
  }

  // False when there is no such file, so the caller can answer otherwise.
  async function send(request: IncomingMessage, response: ServerResponse, file: string, status: number): Promise<boolean> {
    const info = await stat(file).catch(() => undefined)
    if (!info?.isFile()) return false
    // A look at what is about to be published: never let the browser keep an old copy.
    response.writeHead(status, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-length': info.size, 'cache-control': 'no-cache' })
    if (request.method === 'HEAD') response.end()
    else await new Promise<void>((done, fail) => createReadStream(file).on('error', fail).pipe(response).on('finish', done))
    return true
  }

  const host = options.host ?? '127.0.0.1'
  let port = options.port ?? 8081
  const address = await listenOn(server, port, host)
  port = address.port
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${shown}:${address.port}${base}`,
    close: () => new Promise((done) => server.close(() => done())),
  }
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1'])

/**
 * A request target as a URL, or undefined when it is not an origin-form path (`//host/x`, `http://…`) or its path
 * has a malformed %-escape: the servers answer those 400, not 500.
 */
export function requestUrl(target: string | undefined): URL | undefined {
  if (!target?.startsWith('/') || target.startsWith('//')) return undefined
  try {
    const url = new URL(target, 'http://localhost')
    decodeURIComponent(url.pathname)
    return url
  } catch {
    return undefined
  }
}

/** True when a Host header names this machine's loopback at `port`: what a page from another name never sends. */
export function isLoopbackHost(header: string | undefined, port: number): boolean {
  if (!header) return false
  const name = header.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1')
  return loopback.has(name) && (header.endsWith(`:${port}`) || port === 80)
}

/** The file a request path names inside `root`, or undefined when it is outside the base path or would leave `root`. */
export function fileFor(root: string, base: string, pathname: string): string | undefined {
  if (!pathname.startsWith(base)) return undefined
  let relative: string
  try {
    relative = decodeURIComponent(pathname.slice(base.length))
  } catch {
    return undefined
  }
  // `..` segments (also encoded as %2e%2e or with backslashes) and NUL bytes never reach the file system.
  if (relative.includes('\0') || relative.split(/[/\\]/).some((segment) => segment === '..')) return undefined
  const file = resolve(root, relative)
  return file === root || file.startsWith(root + sep) ? file : undefined
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location }).end()
}

/** Start listening; a port in use or not allowed is a NewsletterError saying to pass another `--port`. */
export function listenOn(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new NewsletterError(
              `Cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}`,
              'io',
              undefined,
              {
                cause: error,
                hint: 'Pass another --port (0 picks a free one)',
              },
            )
          : error,
      ),
    )
    server.listen(port, host, () => done(server.address() as AddressInfo))
  })
}
