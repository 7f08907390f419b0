import { rm } from 'node:fs/promises'
import { request } from 'node:http'
import type { Browser, Page } from 'playwright-core'
import { startPreview, type PreviewOptions, type PreviewServer } from '../../src/preview/server.ts'
import { launchBrowser } from './browser.ts'
import { tempProject } from './project.ts'

/** The preview running on a throwaway copy of the sample project, and a Chromium page at desktop size. */
export interface PreviewRun {
  root: string
  preview: PreviewServer
  browser: Browser
  page: Page
  /** Stop the browser and the preview and delete the project. */
  close(): Promise<void>
}

/** Copy the samples, let `prepare` add or change files in the copy, then start the preview on it and open a page. */
export async function openPreview(prepare: (root: string) => Promise<unknown>, options: Omit<PreviewOptions, 'root' | 'port'> = {}): Promise<PreviewRun> {
  const root = tempProject()
  await prepare(root)
  const preview = await startPreview({ ...options, root, port: 0 })
  const browser = await launchBrowser()
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  return {
    root,
    preview,
    browser,
    page,
    async close() {
      await browser.close()
      await preview.close()
      await rm(root, { recursive: true, force: true })
    },
  }
}

/** POST `body` as JSON to `path` of the preview with these headers (Origin, Host…), as a page elsewhere could. */
export function postJson(preview: PreviewServer, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, preview.url), { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode!, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}
