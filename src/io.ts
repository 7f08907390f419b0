/** Where a command writes: `out` for results, `err` for progress, warnings and problems. The CLI passes the real streams, tests collectors. */
export interface Io {
  out(text: string): void
  err(text: string): void
}
