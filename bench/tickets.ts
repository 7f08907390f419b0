// Reading a helpdesk export: 100,000 ServiceNow rows through readTickets (the one CSV reader, the profile, dates in
// the settings' time zone) and countNumbers, next to csv-parse alone on the same file. Targets: at most 1.5× csv-parse's
// time, at most 200 MB peak RSS. Each read is its own child process, so peak RSS is its own.
// Run: node --import tsx bench/tickets.ts
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as NumbersModule from '../src/content/numbers.ts'
import type * as Tickets from '../src/content/tickets.ts'
import { compiled, machine, median, writeSection } from './lib.ts'

const rows = 100_000
const rounds = 3

type Kind = 'newsletter' | 'csv-parse'

interface ChildResult {
  seconds: number
  maxRssMb: number
  tickets: number
}

if (process.argv[2] === 'child') await child(process.argv[3] as Kind, process.argv[4]!)
else await parent()

async function child(kind: Kind, path: string): Promise<void> {
  const bytes = await readFile(path)
  const started = performance.now()
  let tickets: number
  if (kind === 'newsletter') {
    const { readTickets } = await compiled<typeof Tickets>('content/tickets.js')
    const { countNumbers } = await compiled<typeof NumbersModule>('content/numbers.js')
    const exported = readTickets('tickets.csv', bytes, { timeZone: 'Europe/London' })
    countNumbers(exported, '2026-10', { avoidable: ['Password'] })
    tickets = exported.tickets.length
  } else {
    const { parse } = await import('csv-parse/sync')
    // The same decoding step, then csv-parse with the header as column names: what reading an export takes at least.
    const records = parse(new TextDecoder('utf-8').decode(bytes), { bom: true, columns: true, skip_empty_lines: true }) as unknown[]
    tickets = records.length
  }
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, tickets } satisfies ChildResult))
}

async function parent(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-tickets-'))
  const path = join(dir, 'incidents.csv')
  try {
    await writeFile(path, serviceNowExport())
    const results: Record<Kind, ChildResult[]> = { newsletter: [], 'csv-parse': [] }
    for (let round = 0; round < rounds; round++) {
      for (const kind of ['csv-parse', 'newsletter'] as const) {
        const output = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, 'child', kind, path], { encoding: 'utf8' })
        results[kind].push(JSON.parse(output) as ChildResult)
      }
    }
    const time = (kind: Kind) => median(results[kind].map((r) => r.seconds))
    const rss = (kind: Kind) => Math.round(median(results[kind].map((r) => r.maxRssMb)))
    const ratio = time('newsletter') / time('csv-parse')
    const size = ((await readFile(path)).length / 1e6).toFixed(1)
    const body = [
      `\`node --import tsx bench/tickets.ts\` (${machine()}). A ${rows.toLocaleString('en')}-row ServiceNow incident export (${size} MB, CRLF, quoted`,
      'fields with commas), median of 3 runs, each in its own process. `readTickets` + `countNumbers` detect the profile, read every',
      "date in Europe/London and count October; csv-parse alone decodes the same bytes and parses them into records with the header's names.",
      '',
      '| read | tickets | time | peak RSS |',
      '|---|---|---|---|',
      `| csv-parse alone | ${results['csv-parse'][0]!.tickets.toLocaleString('en')} | ${time('csv-parse').toFixed(2)} s | ${rss('csv-parse')} MB |`,
      `| newsletter (readTickets + countNumbers) | ${results.newsletter[0]!.tickets.toLocaleString('en')} | ${time('newsletter').toFixed(2)} s | ${rss('newsletter')} MB |`,
      '',
      `Time ${ratio.toFixed(2)}× csv-parse's (target ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'missed'}); peak RSS ${rss('newsletter')} MB (target ≤ 200 MB: ${rss('newsletter') <= 200 ? 'met' : 'missed'}).`,
    ].join('\n')
    writeSection('Reading a ticket export', body)
    console.log(body)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** A ServiceNow export as its list view writes it: field names as columns, system date format, CRLF. */
function serviceNowExport(): string {
  const categories = ['Password', 'Hardware', 'Software', 'Network', 'Email', 'Printing', 'Access']
  const channels = ['Phone', 'Email', 'Self-service', 'Walk-in']
  const pad = (n: number) => String(n).padStart(2, '0')
  const lines = ['number,opened_at,short_description,caller_id,priority,state,category,assignment_group,contact_type,resolved_at']
  for (let i = 0; i < rows; i++) {
    const opened = Date.UTC(2026, 8, 1) + ((i * 7919) % (90 * 24 * 60)) * 60_000
    const resolved = i % 10 === 0 ? undefined : opened + ((i * 104729) % (72 * 60)) * 60_000
    const stamp = (ms: number) => {
      const d = new Date(ms)
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`
    }
    lines.push(
      `INC${String(i).padStart(7, '0')},${stamp(opened)},"Ticket ${i}, reported by phone",Caller ${i % 500},4 - Low,Resolved,${categories[i % categories.length]},Service Desk,${channels[i % channels.length]},${resolved === undefined ? '' : stamp(resolved)}`,
    )
  }
  return `${lines.join('\r\n')}\r\n`
}
