import { readFile, stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.wasm': 'application/wasm',
}

/** A served folder: its URL (ending in the base path) and how to stop it. */
export interface StaticSite {
  url: string
  close(): Promise<void>
}

/** Serve `dir` under `base` (e.g. `/it-news/`) on a free port, like an intranet web server would: `x/` serves `x/index.html`. */
export async function serveStatic(dir: string, base: string): Promise<StaticSite> {
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    if (!path.startsWith(base)) return notFound()
    let file = join(dir, normalize(path.slice(base.length)))
    if (!file.startsWith(dir)) return notFound()
    if (await stat(file).then((info) => info.isDirectory(), () => false)) file = join(file, 'index.html')
    try {
      const body = await readFile(file)
      response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
      response.end(body)
    } catch {
      notFound()
    }
    function notFound() {
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end('not found')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}${base}`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}
