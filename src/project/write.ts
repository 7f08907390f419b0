import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Write a file so that nobody ever sees half of it: written beside the target under a temporary name, then renamed
 * over it (a rename is atomic on one file system). The folder is created when missing.
 */
export async function writeAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
  await mkdir(dirname(path), { recursive: true })
  try {
    await writeFile(temporary, content)
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/**
 * Write a document's text (read with LF line ends and no byte order mark, as the project reads every file) back over
 * its file as the file was laid out: a file a Windows editor saved with CRLF, or with a UTF-8 BOM, keeps them.
 */
export async function writeBack(path: string, text: string): Promise<void> {
  const bytes = await readFile(path).catch(() => Buffer.alloc(0))
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? '\uFEFF' : ''
  const crlf = bytes.toString('latin1').includes('\r\n')
  await writeAtomic(path, bom + (crlf ? text.replace(/\r?\n/g, '\r\n') : text))
}

/**
 * Replace a folder whole: `fill` writes the new content into a temporary folder beside it, which is swapped in only
 * when `fill` succeeds, so the folder holds exactly the new content or, on any failure, exactly the old.
 */
export async function replaceDir<T>(target: string, fill: (dir: string) => Promise<T>): Promise<T> {
  const name = basename(target)
  const temporary = join(dirname(target), `.${name}-tmp-${process.pid}`)
  const previous = join(dirname(target), `.${name}-old-${process.pid}`)
  await rm(temporary, { recursive: true, force: true })
  await mkdir(temporary, { recursive: true })
  let result: T
  try {
    result = await fill(temporary)
  } catch (error) {
    await rm(temporary, { recursive: true, force: true })
    throw error
  }
  const existed = await stat(target).then(
    () => true,
    () => false,
  )
  if (existed) await rename(target, previous)
  await rename(temporary, target)
  if (existed) await rm(previous, { recursive: true, force: true })
  return result
}

/** Write files (paths relative to `dir`) into a folder, creating subfolders as needed. */
export async function writeFiles(dir: string, files: readonly { path: string; content: string | Uint8Array }[]): Promise<void> {
  for (const file of files) {
    const target = join(dir, file.path)
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, file.content)
  }
}
