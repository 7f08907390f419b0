import type { ParseArgsConfig } from 'node:util'

/** Where a command writes: the CLI passes the real streams, tests pass collectors. */
export interface Io {
  out(text: string): void
  err(text: string): void
}

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
