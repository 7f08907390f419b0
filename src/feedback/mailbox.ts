import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { NewsletterError } from '../errors.ts'

/** One message as a mailbox holds it: its raw bytes and where it came from (`replies.mbox#3`, `export/reply.eml`). */
export interface RawMessage {
  source: string
  raw: Buffer
}

/**
 * Every message in what a mailbox export gives: an mbox file (Thunderbird, Gmail's Takeout, `mutt`), a folder of
 * `.eml` files (Outlook "Save as", Exchange exports), or a single `.eml`. A file is an mbox when it starts with a
 * `From ` line. An unreadable path is an error naming it.
 */
export async function readMailboxes(paths: readonly string[], root: string): Promise<RawMessage[]> {
  const messages: RawMessage[] = []
  for (const path of paths) {
    const abs = resolve(root, path)
    const shown = relative(root, abs) || path
    const info = await stat(abs).catch((error: NodeJS.ErrnoException) => unreadable(shown, error))
    if (info.isDirectory()) {
      const names = (await readdir(abs, { recursive: true }).catch((error: NodeJS.ErrnoException) => unreadable(shown, error)))
        .filter((name) => name.toLowerCase().endsWith('.eml'))
        .sort()
      for (const name of names)
        messages.push({
          source: join(shown, name),
          raw: await readFile(join(abs, name)).catch((error: NodeJS.ErrnoException) => unreadable(join(shown, name), error)),
        })
      continue
    }
    const bytes = await readFile(abs).catch((error: NodeJS.ErrnoException) => unreadable(shown, error))
    if (bytes.subarray(0, 5).toString('latin1') === 'From ') messages.push(...splitMbox(bytes).map((raw, i) => ({ source: `${shown}#${i + 1}`, raw })))
    else messages.push({ source: shown, raw: bytes })
  }
  return messages
}

/**
 * The messages of an mbox: each starts at a `From ` line at the top or after an empty line. Lines the writer
 * escaped as `>From ` (mboxrd: any number of `>`) lose one `>`. Bytes are kept as they are (latin1 maps each byte to
 * one character and back), so 8-bit bodies and CRLF line ends survive.
 */
export function splitMbox(bytes: Buffer): Buffer[] {
  const lines = bytes.toString('latin1').split(/(?<=\n)/)
  const messages: string[][] = []
  let previousBlank = true
  for (const line of lines) {
    if (line.startsWith('From ') && previousBlank) messages.push([])
    else messages.at(-1)?.push(line.replace(/^>(>*From )/, '$1'))
    previousBlank = line === '\n' || line === '\r\n'
  }
  // The empty line before the next `From ` line separates messages; it is not part of the one before.
  return messages.map((message) => {
    const last = message.at(-1)
    if (last === '\n' || last === '\r\n') message.pop()
    return Buffer.from(message.join(''), 'latin1')
  })
}

function unreadable(shown: string, error: NodeJS.ErrnoException): never {
  const why = error.code === 'ENOENT' ? 'no such file or folder' : error.code === 'EACCES' ? 'permission denied' : (error.code ?? error.message)
  throw new NewsletterError(`Cannot read ${shown}: ${why}`, 'io', undefined, {
    cause: error,
    hint: 'Give an mbox file, a folder of .eml files, or an .eml file your account can read',
  })
}
