// Save → reloaded preview of one changed issue, against a bare MJML compile of that issue (the peer).
// Run: node --import tsx bench/preview.ts
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { get } from 'node:http'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import mjml2html from 'mjml'
import { parseDoc } from '../src/content/load.ts'
import { loadProject } from '../src/project/project.ts'
import { createChecker } from '../src/check/checker.ts'
import { mjmlOptions } from '../src/email/compile.ts'
import { fillEmailLayout } from '../src/email/build-email.ts'
import { renderParts } from '../src/markdown/parts.ts'
import { startPreview } from '../src/preview/server.ts'
import { renderDoc } from '../src/project/pipeline.ts'
import { renderDocPage } from '../src/site/build-site.ts'
import { writeSection } from './lib.ts'

const saves = 30
const warmup = 3
const slug = '2026-11'
const key = `issues/${slug}`

const root = await mkdtemp(join(tmpdir(), 'newsletter-bench-preview-'))
await cp(join(import.meta.dirname, '..', 'test', 'fixtures', 'project', 'content'), join(root, 'content'), { recursive: true })
await cp('layouts', join(root, 'layouts'), { recursive: true })
const path = join(root, `content/issues/${slug}.md`)
const original = await readFile(path, 'utf8')

const preview = await startPreview({ root, port: 0 })
const emailUrl = `${preview.url}${key}/email.html`
const changes: ((keys: string[]) => void)[] = []
const stream = get(`${preview.url}events`, (response) => {
  let buffer = ''
  response.setEncoding('utf8')
  response.on('data', (chunk: string) => {
    buffer += chunk
    let end: number
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const event = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const data = /^data: (.*)$/m.exec(event)?.[1]
      if (event.startsWith('event: change') && data) changes.shift()?.(JSON.parse(data).keys)
    }
  })
})

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`${url}: ${response.status}`)
  return response.text()
}

// The peer: the same issue's MJML compiled by a bare mjml2html call, the step no preview can skip.
const project = await loadProject(root)
const config = project.config
const layouts = project.layouts!
const checker = await createChecker(config!, { glossary: project.glossary.glossary, pages: project.pages })
const doc = parseDoc(path, original, 'issue').doc!
const parts = renderParts(doc, { locale: config!.settings.language })
const { mjml } = fillEmailLayout(parts, config!.settings, layouts)
const peer: number[] = []
const direct: number[] = []
await fetchText(emailUrl)
const total: number[] = []
const toEvent: number[] = []
// Preview, peer and in-process pipeline take turns, so all three see the same machine load.
// The first saves warm up the JIT, as the first edits of a session do; they are not counted.
for (let i = -warmup; i < saves; i++) {
  const marker = `Benchmark edit number ${i}.`
  const changed = new Promise<string[]>((resolve) => changes.push(resolve))
  let started = performance.now()
  // Every other save writes a temporary file and renames it over the old one, as vim and "safe write" editors do.
  const text = original.replace('\n## ', `\n${marker}\n\n## `)
  if (i % 2 === 0) await writeFile(path, text)
  else {
    await writeFile(`${path}.swp`, text)
    await rename(`${path}.swp`, path)
  }
  const keys = await changed
  if (i >= 0) toEvent.push(performance.now() - started)
  const html = await fetchText(emailUrl)
  if (i >= 0) total.push(performance.now() - started)
  if (keys.join() !== key || !html.includes(marker)) throw new Error(`save ${i}: event for ${keys.join()} or email without the edit`)

  started = performance.now()
  await mjml2html(mjml, mjmlOptions)
  if (i >= 0) peer.push(performance.now() - started)

  started = performance.now()
  const again = parseDoc(path, original, 'issue').doc!
  const rendered = await renderDoc(again, config!, layouts, checker)
  await renderDocPage(rendered.parts, config!)
  if (i >= 0) direct.push(performance.now() - started)
  // Let the watcher settle so saves are separate, as a person saving would make them.
  await new Promise((resolve) => setTimeout(resolve, 150))
}
stream.destroy()
await preview.close()
await rm(root, { recursive: true, force: true })

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!
}
const row = (name: string, values: number[]) => `| ${name} | ${quantile(values, 0.5).toFixed(0)} ms | ${quantile(values, 0.95).toFixed(0)} ms |`
const body = `Save → reloaded preview of one changed issue (content/issues/${slug}.md), saved in place and by rename in turn, ${saves} saves after ${warmup} warm-up saves, on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at the end.
Target: every save visible within 500 ms. Measured from the file write to the page's reload event (Server-Sent Events) and then to the
re-rendered email fetched over HTTP; includes the watcher's 15 ms debounce.

| What | median | p95 |
| --- | --- | --- |
${row('Save → reload event (preview)', toEvent)}
${row('Save → reload event + re-rendered email fetched (preview)', total)}
${row('Peer: bare `mjml2html` of the same issue', peer)}
${row('For scale: the same issue through the pipeline in-process (parse, parts, email, archive page), no server', direct)}

Run: \`node --import tsx bench/preview.ts\`
`
writeSection('Preview', body)
console.log(body)
