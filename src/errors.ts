import type { VFile } from 'vfile'

/** Where something is: a file and a 1-based line and column. */
export interface Place {
  file: string
  line: number
  column: number
}

/** Every error code the tool can raise, with what it means. */
export const errorCodes = {
  usage: 'the command line is wrong',
  io: 'a file could not be read or written',
  content: 'an issue, notice or settings file is invalid',
  layout: 'a layout could not be rendered',
  send: 'a send failed',
  refused: 'a send was refused before anything was sent (exit 2)',
} as const

export type ErrorCode = keyof typeof errorCodes

/** An expected failure: printed once at the edge as `file:line:col: error: message`, never as a stack trace. */
export class NewsletterError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
    readonly where?: Place,
    options?: ErrorOptions & { hint?: string; details?: string },
  ) {
    super(message, options)
    this.hint = options?.hint
    this.details = options?.details
  }
  readonly hint: string | undefined
  /** Lines printed before the error itself: the problems (one per line, with their places) that led to it. */
  readonly details: string | undefined
  override name = 'NewsletterError'
}

/** Where a diagnostic points, as vfile wants it. */
export interface Position {
  line: number
  column: number
}

/** Record a problem on a file; `severity` decides whether it stops a build. */
export function report(file: VFile, severity: 'error' | 'warning', reason: string, rule: string, place: Position | undefined, hint?: string): void {
  const message = file.message(reason, { place, ruleId: rule, source: 'newsletter' })
  message.fatal = severity === 'error'
  if (hint) message.note = hint
}

/** True when any message on any of the files is an error. */
export function hasErrors(files: readonly VFile[]): boolean {
  return files.some((file) => file.messages.some((message) => message.fatal === true))
}
