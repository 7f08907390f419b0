// Writing and email checks: time per document next to the build of the same email (the peer), on the samples and on
// an issue at Gmail's clipping size, in the compiled code the command runs. Run: npm run compile && node --import tsx bench/checks.ts
import { join } from 'node:path'
import { loadavg } from 'node:os'
import type { Loaded } from '../src/content/load.ts'
import type { Doc } from '../src/content/types.ts'
import type * as CheckChecker from '../src/check/checker.ts'
import type * as CheckGlossary from '../src/check/glossary.ts'
import type * as Config from '../src/config.ts'
import type * as ContentLoad from '../src/content/load.ts'
import type * as EmailBuildEmail from '../src/email/build-email.ts'
import type * as EmailLayout from '../src/email/layout.ts'
import type * as MarkdownParts from '../src/markdown/parts.ts'
import { compiled, machine, writeSection } from './lib.ts'

const { createChecker } = await compiled<typeof CheckChecker>('check/checker.js')
const { loadGlossary } = await compiled<typeof CheckGlossary>('check/glossary.js')
const { loadConfig } = await compiled<typeof Config>('config.js')
const { loadContent, parseDoc } = await compiled<typeof ContentLoad>('content/load.js')
const { buildEmail } = await compiled<typeof EmailBuildEmail>('email/build-email.js')
const { loadLayouts } = await compiled<typeof EmailLayout>('email/layout.js')
const { renderParts } = await compiled<typeof MarkdownParts>('markdown/parts.js')

const root = join(import.meta.dirname, '..')
const { config } = await loadConfig({ root: join(root, 'test', 'fixtures', 'project') })
if (!config) throw new Error('the sample settings do not load')
const layouts = await loadLayouts(join(root, 'layouts/email'), root)
const samples = await loadContent(join(root, 'test', 'fixtures', 'project', 'content'), root)
const front = '---\ntitle: Big\nissue: 99\ndate: 2026-11-01\nsummary: "A long issue."\n---\n\n## News\n\n'
const body = Array.from(
  { length: 1000 },
  (_, i) => `Paragraph ${i + 1} says the printers on floor ${i % 7} move to the kitchen, so you print from there.`,
).join('\n\n')
const big = [parseDoc('big.md', front + body, 'issue')]
const { glossary } = await loadGlossary(join(root, 'test', 'fixtures', 'project', 'content', 'glossary.yml'), 'glossary.yml')
const pagesOf = (docs: readonly Doc[]) => new Set(docs.map((doc) => `${doc.meta.kind === 'issue' ? 'issues' : 'notices'}/${doc.slug}`))

const rows: string[] = []

async function measure(label: string, loaded: Loaded[], rounds: number): Promise<void> {
  const docs = loaded.flatMap(({ doc }) => (doc ? [doc] : []))
  let buildMs = 0
  let checkMs = 0
  let checkCpuMs = 0
  const before = process.memoryUsage().rss
  for (let round = 0; round < rounds; round++) {
    const checker = await createChecker(config!, { glossary, pages: pagesOf(docs) })
    for (const doc of docs) {
      let start = performance.now()
      const email = await buildEmail(renderParts(doc), config!.settings, layouts)
      buildMs += performance.now() - start
      start = performance.now()
      const cpu = process.cpuUsage()
      await checker.checkDoc(doc, email)
      checkMs += performance.now() - start
      const used = process.cpuUsage(cpu)
      checkCpuMs += (used.user + used.system) / 1000
    }
  }
  const per = rounds * docs.length
  const rss = (process.memoryUsage().rss - before) / 1e6
  rows.push(
    `| ${label} | ${docs.length} | ${(checkMs / per).toFixed(1)} ms | ${(checkCpuMs / per).toFixed(1)} ms | ${(buildMs / per).toFixed(1)} ms | ${(checkMs / buildMs).toFixed(2)}× | ${rss.toFixed(0)} MB |`,
  )
}

// The checks back to back, every email built first: what the checks cost without MJML's garbage collected in between.
async function measureAlone(label: string, loaded: Loaded[], rounds: number): Promise<void> {
  const docs = loaded.flatMap(({ doc }) => (doc ? [doc] : []))
  const emails = await Promise.all(docs.map((doc) => buildEmail(renderParts(doc), config!.settings, layouts)))
  const checker = await createChecker(config!, { glossary, pages: pagesOf(docs) })
  let checkMs = 0
  let checkCpuMs = 0
  for (let round = 0; round < rounds; round++) {
    for (const [i, doc] of docs.entries()) {
      const start = performance.now()
      const cpu = process.cpuUsage()
      await checker.checkDoc(doc, emails[i]!)
      checkMs += performance.now() - start
      const used = process.cpuUsage(cpu)
      checkCpuMs += (used.user + used.system) / 1000
    }
  }
  const per = rounds * docs.length
  rows.push(`| ${label} | ${docs.length} | ${(checkMs / per).toFixed(1)} ms | ${(checkCpuMs / per).toFixed(1)} ms | – | – | – |`)
}

// One round first so both sides are measured warm.
await measure('samples (warm-up)', samples, 1)
await measure('samples', samples, 30)
await measure('one 100 KB issue', big, 3)
await measureAlone('samples, checks back to back', samples, 30)

const section = `Writing and email checks (\`src/check/\`), per document, next to building the same email (the peer: render + MJML),
measured in the same run with \`npm run compile && node --import tsx bench/checks.ts\` (the compiled code the command runs). ${machine()}; load average ${loadavg()[0]!.toFixed(2)} at the end.

| content | documents | checks per document, wall | checks per document, CPU (target ≤ 3 ms for the samples) | email build per document (peer) | checks ÷ build | RSS growth |
|---|---|---|---|---|---|---|
${rows.join('\n')}

The cost grows with the amount of prose: every sentence is parsed into words (parse-english), and each word is
looked up in the phrase index by its forms. CPU time is the process's user + system time around each check: it holds
up better than wall time when the machine is shared, and it can exceed wall time because the garbage collector's
threads count too (much of it left by the email builds in between; see the back-to-back row). \`--online\` is not measured: it is bound
by the sites' answers (10 s timeout, 4 requests at a time).`
writeSection('Writing checks', section)
console.log(section)
