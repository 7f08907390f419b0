import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { cpus } from 'node:os'

const file = join(import.meta.dirname, '..', 'BENCHMARKS.md')

/**
 * A module of src/ as the `newsletter` command runs it: tsc's output in dist/cli, not tsx's on-the-fly transform
 * (which wraps every function to keep its name, and costs the checks about a fifth more). `npm run bench` compiles first.
 */
export function compiled<T>(path: string): Promise<T> {
  return import(pathToFileURL(join(import.meta.dirname, '..', 'dist', 'cli', path)).href) as Promise<T>
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The value below which `p` (0–1) of the samples fall. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

/** What machine a figure came from, for the record. */
export function machine(): string {
  return `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${new Date().toISOString().slice(0, 10)}`
}

/** Replace (or append) the `## title` section of BENCHMARKS.md with fresh figures. */
export function writeSection(title: string, body: string): void {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    text = '# Benchmarks\n\nWritten by `npm run bench`; every figure is measured against its peer in the same run.\n'
  }
  const heading = `## ${title}`
  const section = `${heading}\n\n${body.trim()}\n`
  const start = text.indexOf(`${heading}\n`)
  if (start < 0) {
    writeFileSync(file, `${text.trimEnd()}\n\n${section}`)
    return
  }
  const next = text.indexOf('\n## ', start + heading.length)
  writeFileSync(file, `${text.slice(0, start)}${section}${next < 0 ? '' : text.slice(next)}`)
}
