// Start → first page of `newsletter preview`, against a bare node:http server started the same way (the peer); then
// save → reloaded preview of one changed issue, against a bare MJML compile of that issue (the peer).
// Run: node --import tsx bench/preview.ts
import { spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises'
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
import { machine, median, writeSection } from './lib.ts'
import { syntheticIssue } from './synthetic.ts'

/**
 * Milliseconds from spawning `args` in `cwd` to the first HTTP 200 of the address it prints, and the lines it printed
 * to stderr meanwhile, each with its time. The process is stopped with SIGTERM once the page has arrived.
 */
function firstPage(args: string[], cwd: string): Promise<{ ms: number; said: string[] }> {
  const started = performance.now()
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  const said: string[] = []
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) said.push(`${(performance.now() - started).toFixed(0)} ms: ${line}`)
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before serving a page: ${said.join('\n')}`)))
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      const url = /Preview at (http:\/\/\S+\/)/.exec(out)?.[1]
      if (!url) return
      out = ''
      void fetch(url).then(async (response) => {
        await response.text()
        const ms = performance.now() - started
        child.removeAllListeners('exit')
        child.on('exit', () => resolve({ ms, said }))
        if (response.status !== 200) reject(new Error(`${url}: ${response.status}`))
        child.kill('SIGTERM')
      }, reject)
    })
  })
}

const starts = Number(process.env.BENCH_STARTS ?? 7)
const cli = join(import.meta.dirname, '..', 'src', 'bin.js')
const peerServer = `require('node:http').createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', function () { console.log('Preview at http://127.0.0.1:' + this.address().port + '/') })`
const sampleRoot = await mkdtemp(join(tmpdir(), 'newsletter-bench-preview-start-'))
await cp(join(import.meta.dirname, '..', 'test', 'fixtures', 'project', 'content'), join(sampleRoot, 'content'), { recursive: true })
await symlink(join(import.meta.dirname, '..', 'layouts'), join(sampleRoot, 'layouts'))
const largeRoot = await mkdtemp(join(tmpdir(), 'newsletter-bench-preview-large-'))
await mkdir(join(largeRoot, 'content', 'issues'), { recursive: true })
await cp(join(sampleRoot, 'content', 'settings.yml'), join(largeRoot, 'content', 'settings.yml'))
await symlink(join(import.meta.dirname, '..', 'layouts'), join(largeRoot, 'layouts'))
const largeCount = 1000
for (let n = 1; n <= largeCount; n++) {
  const { name, text } = syntheticIssue(n)
  await writeFile(join(largeRoot, 'content', 'issues', name), text)
}
const startTimes = { peer: [] as number[], sample: [] as number[], large: [] as number[] }
let said: string[] = []
// The three take turns, so all see the same machine load.
for (let i = 0; i < starts; i++) {
  startTimes.peer.push((await firstPage(['-e', peerServer], sampleRoot)).ms)
  const sample = await firstPage([cli, 'preview', '--port', '0'], sampleRoot)
  startTimes.sample.push(sample.ms)
  said = sample.said
  startTimes.large.push((await firstPage([cli, 'preview', '--port', '0'], largeRoot)).ms)
}
await rm(sampleRoot, { recursive: true, force: true })
await rm(largeRoot, { recursive: true, force: true })
const startRow = (name: string, values: number[]) => `| ${name} | ${median(values).toFixed(0)} ms | ${Math.max(...values).toFixed(0)} ms |`
const startBody = `From spawning the process to the first HTTP 200 of the address it prints (the list of documents), ${starts} starts each, taking turns. ${machine()}; load average ${loadavg()[0]!.toFixed(1)} at the end.
Target: ≤ 2 s, and the preview says what it is doing meanwhile.

| What | median | slowest |
| --- | --- | --- |
${startRow('`newsletter preview` on the sample project (3 issues, 1 notice)', startTimes.sample)}
${startRow(`\`newsletter preview\` on ${largeCount.toLocaleString('en')} synthetic issues`, startTimes.large)}
${startRow('Peer: a bare `node:http` server started by `node -e`', startTimes.peer)}

What the sample preview printed while starting (last start; the address itself goes to stdout):

${said.map((line) => `    ${line}`).join('\n')}

Run: \`node --import tsx bench/preview.ts\`
`
writeSection('Preview start', startBody)
console.log(startBody)

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
