import { parseArgs, type ParseArgsConfig } from 'node:util'
import { NewsletterError } from './errors.ts'

/** Where a command writes: the CLI passes the real streams, tests pass collectors. */
export interface Io {
  out(text: string): void
  err(text: string): void
}

/** One `newsletter <command>`: its options, their help, and what it does (returns the exit code). */
export interface Command {
  name: string
  summary: string
  usage: string
  options: NonNullable<ParseArgsConfig['options']>
  /** One line per option, shown by `newsletter <command> --help`. */
  help: Record<string, string>
  allowPositionals?: boolean
  run(values: Record<string, unknown>, positionals: string[], io: Io): Promise<number>
}

// Each command's module pulls in its own stages (MJML, Eleventy, SQLite…): only the one being run is loaded.
const loaders: Record<string, () => Promise<Command>> = {
  build: async () => (await import('./commands/build.ts')).buildCommand,
  check: async () => (await import('./commands/check.ts')).checkCommand,
  new: async () => (await import('./commands/new.ts')).newCommand,
  preview: async () => (await import('./commands/preview.ts')).previewCommand,
  approve: async () => (await import('./commands/approve.ts')).approveCommand,
  send: async () => (await import('./commands/send.ts')).sendCommand,
  report: async () => (await import('./commands/report.ts')).reportCommand,
}

/** Every command, in the order `--help` lists them. */
export function loadCommands(): Promise<Command[]> {
  return Promise.all(Object.values(loaders).map((load) => load()))
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

/** Run `newsletter` with these arguments; returns the exit code. Expected failures are printed, never thrown. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  if (io === stdio) process.stdout.on('error', quietOnClosedPipe)
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(await overview())
    return name ? 0 : 2
  }
  const load = Object.hasOwn(loaders, name) ? loaders[name] : undefined
  if (!load) {
    io.err(`newsletter: unknown command \`${name}\`\n\n${await overview()}`)
    return 2
  }
  const command = await load()
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command))
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
    return await command.run(parsed.values, parsed.positionals, io)
  } catch (error) {
    if (error instanceof NewsletterError) {
      const where = error.where ? `${error.where.file}:${error.where.line}:${error.where.column}: ` : ''
      io.err(`${where}error: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`)
      return error.code === 'usage' || error.code === 'refused' ? 2 : 1
    }
    throw error
  }
}

async function overview(): Promise<string> {
  const commands = await loadCommands()
  const width = Math.max(...commands.map((command) => command.name.length))
  return [
    'Usage: newsletter <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `newsletter <command> --help` for a command\'s options.',
  ].join('\n')
}

function commandHelp(command: Command): string {
  const rows = Object.entries(command.help)
  const width = Math.max(0, ...rows.map(([flag]) => flag.length))
  return [`Usage: newsletter ${command.usage}`, '', command.summary, '', 'Options:', ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`)].join('\n')
}
