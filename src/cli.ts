import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Command } from './commands/command.ts'
import type { Io } from './io.ts'
import { NewsletterError } from './errors.ts'
import { packageDir } from './package-dir.ts'

/**
 * Every command with its one-line summary, in the order `--help` lists them. The summaries live here, not in
 * the command modules, so `newsletter --help` imports no command (and none of MJML, Eleventy or SQLite).
 */
const commands: Record<string, { summary: string; load(): Promise<Command> }> = {
  build: {
    summary: 'Validate all content, then write the emails (HTML + text) and the archive site to dist/',
    load: async () => (await import('./commands/build.ts')).buildCommand,
  },
  check: {
    summary: 'Check issues and notices (drafts included) without writing anything',
    load: async () => (await import('./commands/check.ts')).checkCommand,
  },
  new: {
    summary: 'Start the next issue (or a service notice) as a draft, every section stubbed',
    load: async () => (await import('./commands/new.ts')).newCommand,
  },
  preview: {
    summary: 'Serve a live preview of every issue and notice, drafts included (npm start)',
    load: async () => (await import('./commands/preview.ts')).previewCommand,
  },
  serve: {
    summary: 'Serve the built archive (dist/site) on this machine, as it will be published',
    load: async () => (await import('./commands/serve.ts')).serveCommand,
  },
  numbers: {
    summary: "Count an issue's numbers: block (tickets opened, resolved, how fast, top categories) from a helpdesk export",
    load: async () => (await import('./commands/numbers.ts')).numbersCommand,
  },
  update: {
    summary: 'Add an update to a service notice (state, text, next update time), keeping its comments',
    load: async () => (await import('./commands/update.ts')).updateCommand,
  },
  approve: {
    summary: 'Record approval of an issue or notice (approved_by, approved_at, digest) so it can be sent',
    load: async () => (await import('./commands/approve.ts')).approveCommand,
  },
  send: {
    summary: 'Mail an approved issue or notice to a recipients CSV, a list address, or test addresses',
    load: async () => (await import('./commands/send.ts')).sendCommand,
  },
  post: {
    summary: 'Post an approved issue or notice revision to the Teams and Slack channels in the settings, without mailing',
    load: async () => (await import('./commands/post.ts')).postCommand,
  },
  doctor: {
    summary: 'Check the send set-up (settings, OAuth sign-in, server, limits) without sending anything',
    load: async () => (await import('./commands/doctor.ts')).doctorCommand,
  },
  report: {
    summary: 'Show how a send went: counts, and every recipient not accepted with the server reply',
    load: async () => (await import('./commands/report.ts')).reportCommand,
  },
}

const stdio: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
}

// `newsletter report | head` closes the pipe early: the reader has what it wanted, so stop quietly.
function quietOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error
  process.exit(process.exitCode ?? 0)
}

/** Run `newsletter` with these arguments in the project at `root`; returns the exit code. Expected failures are printed, never thrown. */
export async function main(argv: string[], io: Io = stdio, root = process.cwd()): Promise<number> {
  if (io === stdio) process.stdout.on('error', quietOnClosedPipe)
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview())
    return name ? 0 : 2
  }
  if (name === '--version' || name === '-v') {
    io.out(version())
    return 0
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined
  if (!entry) {
    const near = nearestCommand(name)
    io.err(near ? `Unknown command \`${name}\`: did you mean \`${near}\`?` : `Unknown command \`${name}\`.\n\n${overview()}`)
    return 2
  }
  const command = await entry.load()
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command, entry.summary))
    return 0
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: command.allowPositionals ?? false, strict: true })
  } catch (error) {
    io.err(`newsletter ${name}: ${(error as Error).message}\nRun \`newsletter ${name} --help\` for its options.`)
    return 2
  }
  try {
    return await command.run(parsed.values, parsed.positionals, io, root)
  } catch (error) {
    if (error instanceof NewsletterError) {
      const where = error.where ? `${error.where.file}:${error.where.line}:${error.where.column}: ` : ''
      io.err(`${error.details ? `${error.details}\n` : ''}${where}error: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`)
      return error.code === 'usage' || error.code === 'refused' ? 2 : 1
    }
    throw error
  }
}

function version(): string {
  return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version
}

/** The command a mistyped name most likely meant: at most two edits away, and fewer than half its letters. */
function nearestCommand(name: string): string | undefined {
  const typed = name.toLowerCase()
  let best: { name: string; distance: number } | undefined
  for (const candidate of Object.keys(commands)) {
    const distance = editDistance(typed, candidate)
    if (!best || distance < best.distance) best = { name: candidate, distance }
  }
  return best && best.distance <= 2 && best.distance < typed.length / 2 ? best.name : undefined
}

/** Edits (insert, delete, replace, or swap two neighbours) that turn `a` into `b`: `sned` is one from `send`. */
function editDistance(a: string, b: string): number {
  // rows[i][j]: the distance between the first i letters of a and the first j of b.
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let distance = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = distance
    }
  }
  return rows[a.length]![b.length]!
}

function overview(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length))
  return [
    'Usage: newsletter <command> [options]',
    '       newsletter --version',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`),
    '',
    "Run `newsletter <command> --help` for a command's options.",
  ].join('\n')
}

function commandHelp(command: Command, summary: string): string {
  const rows = Object.entries(command.help)
  const width = Math.max(0, ...rows.map(([flag]) => flag.length))
  return [`Usage: newsletter ${command.usage}`, '', summary, '', 'Options:', ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`)].join('\n')
}
