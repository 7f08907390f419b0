import { readFile, rename, writeFile } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { collectMessages, formatText } from '../check/report.ts'
import type { Command, Io } from './command.ts'
import { loadConfig } from '../config.ts'
import { loadContent } from '../content/load.ts'
import { hasErrors, NewsletterError } from '../errors.ts'
import { approveText, contentDigest, localMinute } from '../send/approve.ts'

/** `newsletter approve <slug> --by NAME`: record who approved which content, so `send` can tell if it changed since. */
export const approveCommand: Command = {
  name: 'approve',
  usage: 'approve <slug> --by NAME',
  allowPositionals: true,
  options: { by: { type: 'string' } },
  help: {
    '--by NAME': 'who approves it (written to approved_by)',
    '--help': 'show this help',
  },
  async run(values, positionals, io) {
    const slug = positionals[0]
    if (!slug || positionals.length > 1) throw new NewsletterError('Give exactly one slug: newsletter approve 2026-11 --by "Jane Doe"', 'usage')
    const by = typeof values.by === 'string' ? values.by.trim() : ''
    if (by === '' || /[\u0000-\u001f\u007f]/.test(by)) throw new NewsletterError('Say who approves it: --by "Jane Doe" (one line of text)', 'usage')
    return approveDocument(slug, by, io, process.cwd())
  },
}

/** Approve `slug` in the project at `root`: writes the approval keys atomically; unchanged when already approved as it is. */
export async function approveDocument(slug: string, by: string, io: Io, root: string): Promise<number> {
  const { file, config } = await loadConfig({ root })
  if (!config) {
    io.err(formatText(collectMessages([file])))
    return 1
  }
  const loaded = (await loadContent(config.contentDir)).filter(({ file }) => basename(file.path, '.md') === slug)
  if (loaded.length === 0) throw new NewsletterError(`No issue or notice named \`${slug}\``, 'usage', undefined, { hint: 'The slug is the file name without .md, e.g. 2026-11' })
  if (loaded.length > 1) throw new NewsletterError(`Both ${loaded.map(({ file }) => file.path).join(' and ')} are named ${slug}`, 'usage', undefined, { hint: 'Rename one of them' })
  const [{ file: docFile, doc }] = loaded as [(typeof loaded)[0]]
  if (!doc || hasErrors([docFile])) {
    io.err(`${formatText(collectMessages([docFile]).filter((m) => m.severity === 'error'))}\nNot approved: fix the errors above first.`)
    return 1
  }
  const path = resolve(doc.path)
  const text = await readFile(path, 'utf8')
  const digest = contentDigest(text)
  if (doc.meta.status === 'approved' && doc.meta.approved_digest === digest) {
    io.out(`${doc.path} is already approved as it is (by ${doc.meta.approved_by ?? 'unknown'} at ${doc.meta.approved_at ?? 'unknown time'}); nothing changed.`)
    return 0
  }
  const at = localMinute(new Date())
  const next = approveText(text, { by, at })
  // Beside, then renamed: an editor or a crash never sees half a file.
  const temporary = `${path}.tmp-${process.pid}`
  await writeFile(temporary, next)
  await rename(temporary, path)
  io.out(`Approved ${doc.path} by ${by} at ${at} (${digest.slice(0, 19)}…). Any later change to it needs a new approval before it can be sent.`)
  return 0
}
