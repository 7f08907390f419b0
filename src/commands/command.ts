import type { ParseArgsConfig } from 'node:util'
import { NewsletterError } from '../errors.ts'
import type { Io } from '../io.ts'

/** One `newsletter <command>`: its options, their help, and what it does (returns the exit code). Its summary is in cli.ts. */
export interface Command {
  name: string
  usage: string
  options: NonNullable<ParseArgsConfig['options']>
  /** One line per option, shown by `newsletter <command> --help`. */
  help: Record<string, string>
  allowPositionals?: boolean
  /** Run in the project at `root` (the CLI passes the working folder; tests pass their own). */
  run(values: Record<string, unknown>, positionals: string[], io: Io, root: string): Promise<number>
}

/** The value of a `--port` flag as a port number (0 picks a free one); anything else is a usage error. */
export function portOf(value: unknown): number {
  const text = String(value)
  const port = /^\d+$/.test(text) ? Number(text) : NaN
  if (!(port >= 0 && port <= 65535)) throw new NewsletterError(`--port must be a number from 0 to 65535, got \`${text}\``, 'usage')
  return port
}
