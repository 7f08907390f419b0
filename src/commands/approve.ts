import { resolve } from 'node:path'
import { collectMessages, formatText } from '../check/report.ts'
import type { Command, Io } from './command.ts'
import { loadProject } from '../project/project.ts'
import { writeBack } from '../project/write.ts'
import { hasErrors, NewsletterError } from '../errors.ts'
import { approveText, contentDigest } from '../content/approval.ts'
import { minuteIn } from '../content/clock.ts'

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
  async run(values, positionals, io, root) {
    const slug = positionals[0]
    if (!slug || positionals.length > 1) throw new NewsletterError('Give exactly one slug: newsletter approve 2026-11 --by "Jane Doe"', 'usage')
    const by = typeof values.by === 'string' ? values.by.trim() : ''
    if (by === '' || /[\u0000-\u001f\u007f]/.test(by)) throw new NewsletterError('Say who approves it: --by "Jane Doe" (one line of text)', 'usage')
    return approveDocument(slug, by, io, root)
  },
}

/** Approve `slug` in the project at `root`: writes the approval keys atomically; unchanged when already approved as it is. */
export async function approveDocument(slug: string, by: string, io: Io, root: string): Promise<number> {
  // Only this document is validated: a typo in another draft never holds up an approval.
  const project = await loadProject(root, { only: (source) => source.slug === slug })
  if (!project.config) {
    io.err(formatText(collectMessages([project.settingsFile])))
    return 1
  }
  const loaded = project.sources.map(({ loaded }) => loaded)
  if (loaded.length === 0)
    throw new NewsletterError(`No issue or notice named \`${slug}\``, 'usage', undefined, { hint: 'The slug is the file name without .md, e.g. 2026-11' })
  if (loaded.length > 1)
    throw new NewsletterError(`Both ${loaded.map(({ file }) => file.path).join(' and ')} are named ${slug}`, 'usage', undefined, { hint: 'Rename one of them' })
  const [{ file: docFile, doc }] = loaded as [(typeof loaded)[0]]
  if (!doc || hasErrors([docFile])) {
    io.err(`${formatText(collectMessages([docFile]).filter((m) => m.severity === 'error'))}\nNot approved: fix the errors above first.`)
    return 1
  }
  const path = resolve(root, doc.path)
  const text = String(doc.file.value)
  const digest = contentDigest(text)
  if (doc.meta.status === 'approved' && doc.meta.approved_digest === digest) {
    io.out(`${doc.path} is already approved as it is (by ${doc.meta.approved_by ?? 'unknown'} at ${doc.meta.approved_at ?? 'unknown time'}); nothing changed.`)
    return 0
  }
  const at = minuteIn(new Date(), project.config.settings.timezone)
  const next = approveText(text, { by, at })
  await writeBack(path, next)
  io.out(`Approved ${doc.path} by ${by} at ${at} (${digest.slice(0, 19)}…). Any later change to it needs a new approval before it can be sent.`)
  return 0
}
