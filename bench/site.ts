// Archive benchmark: our full build (emails + site + search index) against a plain Eleventy 3 build of the
// same Markdown with a trivial layout, measured in the same run, each in its own child process so peak RSS
// is that build's alone. Run: node --import tsx bench/site.ts [--sizes 1000,4000] [--no-write]
import { execFileSync } from 'node:child_process'
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { syntheticIssue } from './synthetic.ts'

const repo = join(import.meta.dirname, '..')

/** What one child build reports: wall time of the build itself and the child's peak resident set. */
interface Measure {
  seconds: number
  /** CPU time of the Node process (user + system); steadier than wall time on a busy machine. */
  cpuSeconds: number
  maxRssMb: number
}

async function child(mode: string, dir: string): Promise<void> {
  process.chdir(dir)
  const started = performance.now()
  if (mode === 'ours') {
    const { main } = await import('../src/cli.ts')
    const errors: string[] = []
    const code = await main(['build'], { out: () => {}, err: (text) => errors.push(text) })
    if (code !== 0) throw new Error(`build failed: ${errors.join('\n')}`)
  } else {
    const { default: Eleventy } = await import('@11ty/eleventy')
    const eleventy = new Eleventy('src', '_site', { quietMode: true })
    eleventy.disableLogger()
    await eleventy.write()
  }
  const seconds = (performance.now() - started) / 1000
  const usage = process.resourceUsage()
  // maxRSS is in kilobytes, CPU times in microseconds (getrusage)
  process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssMb: usage.maxRSS / 1024 })}\n`)
}

function measure(mode: 'ours' | 'plain', dir: string, nodeFlags: string[] = []): Measure {
  const output = execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', join(repo, 'bench', 'site.ts'), '--child', mode, dir], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 26 })
  return JSON.parse(output.trim().split('\n').at(-1)!) as Measure
}

async function prepare(n: number): Promise<{ ours: string; plain: string; changed: string }> {
  const ours = await mkdtemp(join(tmpdir(), `bench-site-${n}-`))
  const plain = await mkdtemp(join(tmpdir(), `bench-eleventy-${n}-`))
  await mkdir(join(ours, 'content', 'issues'), { recursive: true })
  await cp(join(repo, 'content', 'settings.yml'), join(ours, 'content', 'settings.yml'))
  await symlink(join(repo, 'layouts'), join(ours, 'layouts'))
  await mkdir(join(plain, 'src', 'issues'), { recursive: true })
  await mkdir(join(plain, 'src', '_includes'), { recursive: true })
  await writeFile(join(plain, 'src', '_includes', 'plain.liquid'), '<!doctype html>\n<html lang="en"><title>{{ title }}</title><main>{{ content }}</main></html>\n')
  await writeFile(join(plain, 'src', 'issues', 'issues.json'), JSON.stringify({ layout: 'plain.liquid' }))
  let changed = ''
  for (let i = 1; i <= n; i++) {
    const { name, text } = syntheticIssue(i)
    await writeFile(join(ours, 'content', 'issues', name), text)
    await writeFile(join(plain, 'src', 'issues', name), text)
    if (i === Math.ceil(n / 2)) changed = join(ours, 'content', 'issues', name)
  }
  return { ours, plain, changed }
}

interface Row {
  n: number
  plain: Measure
  ours: Measure
  rebuild: Measure
  largest: { path: string; kb: number }
  /** Cold build again with the V8 heap capped (only at 1,000): most of the peak RSS is garbage, not live data. */
  capped?: Measure
}

const heapCap = 256

async function largestPage(dir: string): Promise<Row['largest']> {
  let largest = { path: '', kb: 0 }
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.html') || entry.parentPath.includes('pagefind')) continue
    const file = join(entry.parentPath, entry.name)
    const kb = (await stat(file)).size / 1024
    if (kb > largest.kb) largest = { path: file.slice(dir.length + 1), kb }
  }
  return largest
}

async function run(sizes: number[], write: boolean): Promise<void> {
  const rows: Row[] = []
  for (const n of sizes) {
    const dirs = await prepare(n)
    try {
      const plain = measure('plain', dirs.plain)
      const ours = measure('ours', dirs.ours)
      const largest = await largestPage(join(dirs.ours, 'dist', 'site'))
      await appendFile(dirs.changed, '\nOne more paragraph, added after the first build.\n')
      const rebuild = measure('ours', dirs.ours)
      let capped: Measure | undefined
      if (n === 1000) {
        await rm(join(dirs.ours, '.newsletter'), { recursive: true, force: true })
        capped = measure('ours', dirs.ours, [`--max-old-space-size=${heapCap}`])
      }
      rows.push({ n, plain, ours, rebuild, largest, capped })
      console.log(`N=${n}: plain Eleventy ${plain.seconds.toFixed(1)} s (${plain.maxRssMb.toFixed(0)} MB), ours ${ours.seconds.toFixed(1)} s (${ours.maxRssMb.toFixed(0)} MB), rebuild after one change ${rebuild.seconds.toFixed(1)} s, largest page ${largest.path} ${largest.kb.toFixed(0)} KB`)
    } finally {
      await rm(dirs.ours, { recursive: true, force: true })
      await rm(dirs.plain, { recursive: true, force: true })
    }
  }
  const section = report(rows)
  console.log(`\n${section}`)
  if (write) await writeSection(section)
}

function report(rows: Row[]): string {
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`
  const lines = [
    '## Archive site',
    '',
    `Measured by \`node --import tsx bench/site.ts --sizes ${rows.map((row) => row.n).join(',')}\` on ${new Date().toISOString().slice(0, 10)},`,
    `${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.versions.node}. Each build runs in its own child process;`,
    'time is the build inside the process (startup excluded), peak RSS is the child\'s `process.resourceUsage().maxRSS`.',
    '"Ours" is `newsletter build`: validate, render, compile every email with MJML, Eleventy site, Pagefind index.',
    '"Plain" is Eleventy 3 on the same Markdown files with a one-line Liquid layout. "Rebuild" is `newsletter build`',
    'again after one issue changed (compiled emails come from `.newsletter/cache/`). CPU is the Node process\'s',
    'user + system time (Pagefind\'s own binary is not counted in it); wall time suffers when the machine is busy.',
    '',
    '| Issues | Plain Eleventy wall (CPU) | Ours wall (CPU) | Ours / plain, wall (CPU); target ≤ 1.5× | Peak RSS ours; target ≤ 512 MB at 1,000 | Peak RSS plain | Rebuild after one change, wall (CPU) | Rebuild / full | Largest page |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) =>
      `| ${row.n.toLocaleString('en-GB')} | ${row.plain.seconds.toFixed(1)} s (${row.plain.cpuSeconds.toFixed(1)} s) | ${row.ours.seconds.toFixed(1)} s (${row.ours.cpuSeconds.toFixed(1)} s) | ${ratio(row.ours.seconds, row.plain.seconds)} (${ratio(row.ours.cpuSeconds, row.plain.cpuSeconds)}) | ${row.ours.maxRssMb.toFixed(0)} MB | ${row.plain.maxRssMb.toFixed(0)} MB | ${row.rebuild.seconds.toFixed(1)} s (${row.rebuild.cpuSeconds.toFixed(1)} s) | ${ratio(row.rebuild.seconds, row.ours.seconds)} | ${row.largest.path}, ${row.largest.kb.toFixed(0)} KB |`,
    ),
  ]
  const small = rows.find((row) => row.n === 1000)
  const large = rows.find((row) => row.n === 4000)
  if (small?.capped) {
    lines.push('', `With the V8 heap capped (\`node --max-old-space-size=${heapCap} src/bin.js build\`), the 1,000-issue cold build peaks at ${small.capped.maxRssMb.toFixed(0)} MB in ${small.capped.seconds.toFixed(1)} s (${small.capped.cpuSeconds.toFixed(1)} s CPU).`)
  }
  if (small && large) lines.push('', `Scaling time(4,000) / time(1,000) (target ≤ 2.5): ours ${ratio(large.ours.seconds, small.ours.seconds)} wall, ${ratio(large.ours.cpuSeconds, small.ours.cpuSeconds)} CPU; plain Eleventy ${ratio(large.plain.seconds, small.plain.seconds)} wall.`)
  return `${lines.join('\n')}\n`
}

async function writeSection(section: string): Promise<void> {
  const file = join(repo, 'BENCHMARKS.md')
  const current = await readFile(file, 'utf8').catch(() => '# Benchmarks\n')
  const start = current.indexOf('## Archive site')
  if (start === -1) {
    await writeFile(file, `${current.trimEnd()}\n\n${section}`)
    return
  }
  const next = current.indexOf('\n## ', start + 1)
  await writeFile(file, current.slice(0, start) + section + (next === -1 ? '' : current.slice(next + 1)))
}

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,4000' }, child: { type: 'string' }, 'no-write': { type: 'boolean', default: false } }, allowPositionals: true, strict: false })
if (values.child) {
  await child(String(values.child), String(process.argv.at(-1)))
} else {
  await run(String(values.sizes).split(',').map(Number), !values['no-write'])
}
