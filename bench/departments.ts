// Department editions: `send --dry-run` of 10,000 people in 40 departments (an Entra ID export, departments.yml,
// one section per pair of departments) next to today's dry run of the same people as a plain CSV without departments.
// Counts the editions rendered (must be 41: 40 departments and the general edition, never one per person).
// Run: node --import tsx bench/departments.ts. Each dry run is its own child process, so peak RSS is its own.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { approveText } from '../src/content/approval.ts'
import { machine, median, writeSection } from './lib.ts'

const repo = resolve(import.meta.dirname, '..')
const people = 10_000
const departmentCount = 40
const rounds = 3
const slug = '2026-11'

type Kind = 'editions' | 'per-person'

interface ChildResult {
  seconds: number
  maxRssMb: number
  editions: number
}

if (process.argv[2] === 'child') await child(process.argv[3] as Kind, process.argv[4]!)
else await parent()

async function child(kind: Kind, root: string): Promise<void> {
  const { runSend } = await import('../src/commands/send.ts')
  let out = ''
  const io = { out: (text: string) => void (out += `${text}\n`), err: () => {} }
  const started = performance.now()
  const file = join(root, kind === 'editions' ? 'users.csv' : 'staff.csv')
  const code = await runSend({ recipients: file, 'dry-run': true }, [slug], io, { root: join(root, kind), env: {}, tty: false })
  const seconds = (performance.now() - started) / 1000
  if (code !== 0) throw new Error(`dry run exited ${code}`)
  const editions = Number(/editions: (\d+)/.exec(out)?.[1] ?? 1)
  const result: ChildResult = { seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, editions }
  process.stdout.write(JSON.stringify(result))
}

async function parent(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'bench-departments-'))
  try {
    await makeProjects(root)
    const results: Record<Kind, ChildResult[]> = { editions: [], 'per-person': [] }
    for (let round = 0; round < rounds; round++) {
      for (const kind of ['per-person', 'editions'] as const) {
        const output = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, 'child', kind, root], { encoding: 'utf8' })
        results[kind].push(JSON.parse(output) as ChildResult)
      }
    }
    const row = (label: string, kind: Kind) => {
      const runs = results[kind]
      return `| ${label} | ${people.toLocaleString('en')} | ${runs[0]!.editions} | ${median(runs.map((r) => r.seconds)).toFixed(1)} s | ${Math.round(median(runs.map((r) => r.maxRssMb)))} MB |`
    }
    const body = [
      `\`node --import tsx bench/departments.ts\` (${machine()}). ${people.toLocaleString('en')} people in ${departmentCount} departments`,
      `(an Entra ID export, departments.yml with aliases and contacts, one \`<!-- for: … -->\` section per pair of departments, 1% of people`,
      `in no department: \`unmapped: general\`), next to today's dry run of the same people as a plain CSV and no departments.yml.`,
      `Medians of ${rounds} rounds; each dry run in its own process (peak RSS is its own).`,
      '',
      '| dry run | people | editions rendered | wall | peak RSS |',
      '| --- | ---: | ---: | ---: | ---: |',
      row('today: one email for everyone', 'per-person'),
      row('per department edition', 'editions'),
    ].join('\n')
    console.log(body)
    writeSection('Department editions (send --dry-run)', body)
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

async function makeProjects(root: string): Promise<void> {
  const settings = await readFile(join(repo, 'test/fixtures/project/content/settings.yml'), 'utf8')
  const issue = await readFile(join(repo, 'test/fixtures/project/content/issues/2026-11.md'), 'utf8')
  const ids = Array.from({ length: departmentCount }, (_, n) => `dept-${n + 1}`)
  // One section per pair of departments keeps the full email (every section, as `build` writes it) under Gmail's clip.
  const sections = ids
    .filter((_, n) => n % 2 === 0)
    .map((id, n) => `## For departments ${2 * n + 1} and ${2 * n + 2}\n<!-- for: ${id}, ${ids[2 * n + 1]} -->\n\nOnly they need to know this.\n`)
    .join('\n')
  const departments = [
    'departments:',
    ...ids.flatMap((id, n) => [
      `  - id: ${id}`,
      `    name: Department ${n + 1}`,
      `    aliases: ["Dept ${n + 1} & Co"]`,
      `    contact: { name: "Contact ${n + 1}", email: contact${n + 1}@example.com, phone: "+44 20 7946 ${String(n).padStart(4, '0')}" }`,
    ]),
    'unmapped: general',
  ].join('\n')
  const entra = ['userPrincipalName,displayName,mail,userType,department,accountEnabled']
  const plain = ['email,name,department']
  for (let n = 0; n < people; n++) {
    const department = n % 100 === 99 ? 'Nowhere' : `Dept ${(n % departmentCount) + 1} & Co`
    entra.push(`p${n}@example.com,Person ${n},p${n}@example.com,Member,${department},True`)
    plain.push(`p${n}@example.com,Person ${n},${department}`)
  }
  for (const kind of ['editions', 'per-person'] as const) {
    const dir = join(root, kind)
    await mkdir(join(dir, 'content/issues'), { recursive: true })
    await writeFile(join(dir, 'content/settings.yml'), settings)
    // The sample body without its sections (20 more stay under Gmail's clip); today's run gets that body alone.
    const body = issue.slice(0, issue.indexOf('\n## '))
    const text = kind === 'editions' ? `${body}\n\n${sections}` : body
    await writeFile(join(dir, 'content/issues', `${slug}.md`), approveText(text, { by: 'Bench', at: '2026-11-02T09:00' }))
    if (kind === 'editions') await writeFile(join(dir, 'content/departments.yml'), departments)
    await symlink(join(repo, 'layouts'), join(dir, 'layouts'))
  }
  await writeFile(join(root, 'users.csv'), entra.join('\n'))
  await writeFile(join(root, 'staff.csv'), plain.join('\n'))
}
