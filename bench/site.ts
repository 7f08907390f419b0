// Build benchmark: our whole build (validate, render, check, compile every email, Eleventy site, Pagefind index)
// against its peers in the same run — plain Eleventy 3 on the same Markdown plus a bare mjml2html of the same emails'
// MJML — then an unchanged rebuild, a rebuild after one change, `check` of one file, and the CLI's start-up.
// Each build runs in its own child process so its peak RSS is its own. Run: node --import tsx bench/site.ts [--sizes 1000,4000] [--no-write]
import { execFileSync } from 'node:child_process'
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import type * as Cli from '../src/cli.ts'
import { median, writeSection } from './lib.ts'
import { syntheticIssue } from './synthetic.ts'

type CliModule = typeof Cli

const repo = join(import.meta.dirname, '..')
const sampleContent = join(repo, 'test', 'fixtures', 'project', 'content')

/** What one child reports: wall time of the work itself, the process's CPU time (threads included) and peak RSS. */
interface Measure {
  seconds: number
  cpuSeconds: number
  maxRssMb: number
}

async function child(mode: string, dir: string): Promise<void> {
  let started = performance.now()
  if (mode === 'ours') {
    // The compiled CLI, as `newsletter build` runs it.
    const { main } = (await import(join(repo, 'dist', 'cli', 'cli.js'))) as CliModule
    const errors: string[] = []
    const code = await main(['build'], { out: () => {}, err: (text) => errors.push(text) }, dir)
    if (code !== 0) throw new Error(`build failed: ${errors.join('\n').slice(0, 2000)}`)
  } else if (mode === 'plain') {
    const { default: Eleventy } = await import('@11ty/eleventy')
    process.chdir(dir)
    const eleventy = new Eleventy('src', '_site', { quietMode: true })
    eleventy.disableLogger()
    await eleventy.write()
  } else {
    // Bare mjml2html of the MJML our layouts give each issue; filling the layouts is not timed.
    const { loadProject, projectDocs } = await import('../src/project/project.ts')
    const { renderParts } = await import('../src/markdown/parts.ts')
    const { fillEmailLayout } = await import('../src/email/build-email.ts')
    const { mjmlOptions } = await import('../src/email/compile.ts')
    const { default: mjml2html } = await import('mjml')
    const project = await loadProject(dir)
    const settings = project.config!.settings
    const sources = projectDocs(project).map((doc) => {
      const parts = renderParts(doc, { locale: settings.language })
      return fillEmailLayout(parts, settings, project.layouts!).mjml
    })
    started = performance.now()
    const before = process.cpuUsage()
    for (const source of sources) await mjml2html(source, mjmlOptions)
    const cpu = process.cpuUsage(before)
    process.stdout.write(
      `${JSON.stringify({ seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
    )
    return
  }
  const seconds = (performance.now() - started) / 1000
  const usage = process.resourceUsage()
  // maxRSS is in kilobytes, CPU times in microseconds (getrusage)
  process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssMb: usage.maxRSS / 1024 })}\n`)
}

function measure(mode: 'ours' | 'plain' | 'mjml', dir: string): Measure {
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(repo, 'bench', 'site.ts'), '--child', mode, dir], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
  return JSON.parse(output.trim().split('\n').at(-1)!) as Measure
}

/** Median wall time of a whole `newsletter …` process, start-up included, in seconds. */
function wall(args: string[], cwd: string, runs: number): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    execFileSync(process.execPath, [join(repo, 'src', 'bin.js'), ...args], { cwd, stdio: 'ignore' })
    times.push((performance.now() - started) / 1000)
  }
  return median(times)
}

/** `newsletter approve` of a changed issue, untimed. */
function approve(file: string, cwd: string): void {
  execFileSync(process.execPath, [join(repo, 'src', 'bin.js'), 'approve', basename(file, '.md'), '--by', 'Bench Reviewer'], { cwd, stdio: 'ignore' })
}

async function prepare(n: number): Promise<{ ours: string; plain: string; changed: string; retitled: string; one: string }> {
  const ours = await mkdtemp(join(tmpdir(), `bench-site-${n}-`))
  const plain = await mkdtemp(join(tmpdir(), `bench-eleventy-${n}-`))
  await mkdir(join(ours, 'content', 'issues'), { recursive: true })
  await cp(join(sampleContent, 'settings.yml'), join(ours, 'content', 'settings.yml'))
  await symlink(join(repo, 'layouts'), join(ours, 'layouts'))
  await mkdir(join(plain, 'src', 'issues'), { recursive: true })
  await mkdir(join(plain, 'src', '_includes'), { recursive: true })
  await writeFile(
    join(plain, 'src', '_includes', 'plain.liquid'),
    '<!doctype html>\n<html lang="en"><title>{{ title }}</title><main>{{ content }}</main></html>\n',
  )
  await writeFile(join(plain, 'src', 'issues', 'issues.json'), JSON.stringify({ layout: 'plain.liquid' }))
  let changed = ''
  let retitled = ''
  for (let i = 1; i <= n; i++) {
    const { name, text } = syntheticIssue(i)
    await writeFile(join(ours, 'content', 'issues', name), text)
    await writeFile(join(plain, 'src', 'issues', name), text)
    if (i === Math.ceil(n / 2)) changed = join('content', 'issues', name)
    if (i === Math.ceil(n / 3)) retitled = join('content', 'issues', name)
  }
  return { ours, plain, changed, retitled, one: changed }
}

interface Row {
  n: number
  plain: Measure
  mjml: Measure
  cold: Measure
  unchanged: Measure
  changed: Measure
  titled: Measure
  checkOne: number
}

async function run(sizes: number[], write: boolean): Promise<void> {
  const rows: Row[] = []
  for (const n of sizes) {
    const dirs = await prepare(n)
    try {
      const plain = measure('plain', dirs.plain)
      const mjml = measure('mjml', dirs.ours)
      const cold = measure('ours', dirs.ours)
      const unchanged = measure('ours', dirs.ours)
      // Each edit is approved again (untimed), as an editor would before building: an approved issue changed
      // without approval is left out of what is published.
      await appendFile(join(dirs.ours, dirs.changed), '\nOne more paragraph, added after the first build.\n')
      approve(dirs.changed, dirs.ours)
      const changed = measure('ours', dirs.ours)
      const retitled = join(dirs.ours, dirs.retitled)
      await writeFile(retitled, (await readFile(retitled, 'utf8')).replace(/^title: .*$/m, 'title: "A new title, after the first build"'))
      approve(dirs.retitled, dirs.ours)
      const titled = measure('ours', dirs.ours)
      const checkOne = wall(['check', dirs.one], dirs.ours, 5)
      rows.push({ n, plain, mjml, cold, unchanged, changed, titled, checkOne })
      console.log(
        `N=${n}: plain ${plain.seconds.toFixed(1)} s + mjml ${mjml.seconds.toFixed(1)} s; ours cold ${cold.seconds.toFixed(1)} s ${cold.maxRssMb.toFixed(0)} MB, unchanged ${unchanged.seconds.toFixed(2)} s, body edit ${changed.seconds.toFixed(2)} s, title edit ${titled.seconds.toFixed(2)} s, check one ${checkOne.toFixed(2)} s`,
      )
    } finally {
      await rm(dirs.ours, { recursive: true, force: true })
      await rm(dirs.plain, { recursive: true, force: true })
    }
  }
  const samples = await mkdtemp(join(tmpdir(), 'bench-samples-'))
  await cp(sampleContent, join(samples, 'content'), { recursive: true })
  await symlink(join(repo, 'layouts'), join(samples, 'layouts'))
  const help = wall(['--help'], samples, 10)
  const checkSamples = wall(['check'], samples, 5)
  await rm(samples, { recursive: true, force: true })
  const section = report(rows, help, checkSamples)
  console.log(`\n${section}`)
  if (write) writeSection('Build', section)
}

function report(rows: Row[], help: number, checkSamples: number): string {
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`
  const s = (m: Measure) => `${m.seconds.toFixed(2)} s (${m.cpuSeconds.toFixed(1)} s CPU)`
  const lines = [
    `Measured by \`node --import tsx bench/site.ts --sizes ${rows.map((row) => row.n).join(',')}\` on ${new Date().toISOString().slice(0, 10)},`,
    `${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.versions.node}, load average ${loadavg()[0]!.toFixed(1)} at the end.`,
    'Each build runs in its own child process: time is the work inside it (start-up excluded), CPU includes worker threads,',
    'peak RSS is the child\'s `maxRSS`. "Cold" is `newsletter build` with no `.newsletter/` and no `dist/`: validate, render,',
    'check, compile every email, Eleventy site, Pagefind index. The peer is plain Eleventy 3 on the same Markdown with a',
    "one-line layout plus a bare `mjml2html` loop over the same emails' MJML (layouts filled untimed), both in the same run.",
    'The edits, in turn after the unchanged rebuild: a paragraph added to one issue, then another issue retitled; each is',
    'approved again (untimed) before the timed build, as an editor would.',
    '',
    "| Issues | Peer: plain Eleventy + bare mjml2html | Ours cold | Cold / peer (target ≤ 1.3×) | Peak RSS cold (target ≤ 400 MB at 1,000) | Unchanged rebuild | One issue's body edited (target ≤ 2.5 s) | Body edit / cold (target ≤ 0.1×) | One issue's title edited | Title edit / cold (target ≤ 0.2×) | `check` one file, whole process (target ≤ 1.5 s) |",
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => {
      const peer = row.plain.seconds + row.mjml.seconds
      return `| ${row.n.toLocaleString('en-GB')} | ${row.plain.seconds.toFixed(2)} + ${row.mjml.seconds.toFixed(2)} = ${peer.toFixed(2)} s | ${s(row.cold)} | ${ratio(row.cold.seconds, peer)} | ${row.cold.maxRssMb.toFixed(0)} MB | ${s(row.unchanged)} | ${s(row.changed)} | ${ratio(row.changed.seconds, row.cold.seconds)} | ${s(row.titled)} | ${ratio(row.titled.seconds, row.cold.seconds)} | ${row.checkOne.toFixed(2)} s |`
    }),
  ]
  const small = rows.find((row) => row.n === 1000)
  const large = rows.find((row) => row.n === 4000)
  if (small && large) {
    lines.push(
      '',
      `Scaling from 1,000 to 4,000 issues: cold build time ${ratio(large.cold.seconds, small.cold.seconds)} (target ≤ 4.5×), peak RSS ${ratio(large.cold.maxRssMb, small.cold.maxRssMb)} (target ≤ 2×); the peer's time ${ratio(large.plain.seconds + large.mjml.seconds, small.plain.seconds + small.mjml.seconds)}; one issue's body edited ${ratio(large.changed.seconds, small.changed.seconds)} (target ≤ 1.5×).`,
    )
  }
  lines.push(
    '',
    `Whole-process wall time on the sample project (medians): \`newsletter --help\` ${(help * 1000).toFixed(0)} ms (target ≤ 250 ms), \`newsletter check\` ${(checkSamples * 1000).toFixed(0)} ms (target ≤ 1 s).`,
  )
  return lines.join('\n')
}

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '1000,4000' }, child: { type: 'string' }, 'no-write': { type: 'boolean', default: false } },
  allowPositionals: true,
  strict: false,
})
if (values.child) {
  await child(String(values.child), String(process.argv.at(-1)))
} else {
  await run(String(values.sizes).split(',').map(Number), !values['no-write'])
}
