// Rendering one issue, warm: our whole path (front matter, Markdown, layout, MJML, text part)
// against a bare mjml2html call on the very same MJML, measured in the same run.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadavg } from 'node:os'
import mjml2html from 'mjml'
import type * as Config from '../src/config.ts'
import type * as ContentLoad from '../src/content/load.ts'
import type * as EmailBuildEmail from '../src/email/build-email.ts'
import type * as EmailCompile from '../src/email/compile.ts'
import type * as EmailLayout from '../src/email/layout.ts'
import type * as MarkdownParts from '../src/markdown/parts.ts'
import { compiled, machine, median, percentile, writeSection } from './lib.ts'

// Our side runs the compiled code the command runs (`npm run compile` first; `npm run bench` does).
const { parseSettings } = await compiled<typeof Config>('config.js')
const { parseDoc } = await compiled<typeof ContentLoad>('content/load.js')
const { buildEmail, fillEmailLayout } = await compiled<typeof EmailBuildEmail>('email/build-email.js')
const { mjmlOptions } = await compiled<typeof EmailCompile>('email/compile.js')
const { loadLayouts } = await compiled<typeof EmailLayout>('email/layout.js')
const { renderParts } = await compiled<typeof MarkdownParts>('markdown/parts.js')

const root = join(import.meta.dirname, '..')
const rounds = Number(process.env.BENCH_ROUNDS ?? 150)
const text = readFileSync(join(root, 'test/fixtures/project/content/issues/2026-11.md'), 'utf8')
const { settings } = parseSettings('settings.yml', readFileSync(join(root, 'test/fixtures/project/content/settings.yml'), 'utf8'))
if (!settings) throw new Error('content/settings.yml is invalid: run `npm run check`')
const layouts = await loadLayouts(join(root, 'layouts/email'), root)

async function ours(): Promise<number> {
  const { doc } = parseDoc('content/issues/2026-11.md', text, 'issue')
  const email = await buildEmail(renderParts(doc!, { locale: settings!.language }), settings!, layouts)
  return email.bytes
}

// The peer gets the MJML our layout produced, so both sides compile exactly the same document.
const parts = renderParts(parseDoc('content/issues/2026-11.md', text, 'issue').doc!, { locale: settings.language })
const { mjml } = fillEmailLayout(parts, settings, layouts)
async function bare(): Promise<number> {
  return Buffer.byteLength((await mjml2html(mjml, mjmlOptions)).html)
}

for (let i = 0; i < 20; i++) await Promise.all([ours(), bare()])
const times = { ours: [] as number[], bare: [] as number[] }
const cpu = { ours: [] as number[], bare: [] as number[] }
for (let i = 0; i < rounds; i++) {
  // Alternate which goes first so drift (GC, CPU clock) falls on both sides alike.
  for (const [name, run] of i % 2
    ? ([
        ['bare', bare],
        ['ours', ours],
      ] as const)
    : ([
        ['ours', ours],
        ['bare', bare],
      ] as const)) {
    const start = performance.now()
    const startCpu = process.cpuUsage()
    await run()
    const used = process.cpuUsage(startCpu)
    times[name].push(performance.now() - start)
    cpu[name].push((used.user + used.system) / 1000)
  }
}
// Where our time goes, stage by stage (CPU ms, median of the same number of rounds).
const stages = { 'front matter + body parse': [] as number[], 'prose + sections → HTML': [] as number[], 'layout fill + MJML + text': [] as number[] }
for (let i = 0; i < rounds; i++) {
  let start = process.cpuUsage()
  const { doc } = parseDoc('content/issues/2026-11.md', text, 'issue')
  let used = process.cpuUsage(start)
  stages['front matter + body parse'].push((used.user + used.system) / 1000)
  start = process.cpuUsage()
  const rendered = renderParts(doc!, { locale: settings.language })
  used = process.cpuUsage(start)
  stages['prose + sections → HTML'].push((used.user + used.system) / 1000)
  start = process.cpuUsage()
  await buildEmail(rendered, settings, layouts)
  used = process.cpuUsage(start)
  stages['layout fill + MJML + text'].push((used.user + used.system) / 1000)
}
const breakdown = Object.entries(stages)
  .map(([stage, values]) => `| ${stage} | ${median(values).toFixed(2)} |`)
  .join('\n')
const ratio = median(times.ours) / median(times.bare)
const cpuRatio = median(cpu.ours) / median(cpu.bare)
const row = (name: string, key: 'ours' | 'bare') =>
  `| ${name} | ${median(times[key]).toFixed(2)} | ${percentile(times[key], 0.95).toFixed(2)} | ${median(cpu[key]).toFixed(2)} |`
const verdict = (value: number) => `**${value.toFixed(2)}×** (target ≤ 1.5×: ${value <= 1.5 ? 'met' : 'missed'})`
const body = `Rendering \`content/issues/2026-11.md\` warm, ${rounds} rounds each, interleaved. ${machine()}; load average at start ${loadavg()[0]!.toFixed(2)}.

| path | median wall ms | p95 wall ms | median CPU ms |
|---|---|---|---|
${row('ours: front matter + Markdown + layout + MJML + text part', 'ours')}
${row('bare `mjml2html` on the same MJML', 'bare')}

Ratio of medians, wall clock: ${verdict(ratio)}; CPU time (includes GC threads): ${verdict(cpuRatio)}.

Our path by stage:

| stage | median CPU ms |
|---|---|
${breakdown}`
writeSection('Email rendering', body)
console.log(body)
