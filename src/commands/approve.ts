import { resolve } from 'node:path'
import { formatText } from '../check/messages.ts'
import type { Command } from './command.ts'
import type { Io } from '../io.ts'
import { openRendered } from '../project/open-document.ts'
import { writeBack } from '../project/write.ts'
import { NewsletterError } from '../errors.ts'
import { approveText } from '../content/approval.ts'
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
  // Approval vouches for what readers get: the document must render and pass the checks as `build` runs them.
  const { config, doc, text, approval, warnings } = await openRendered(root, slug, { refusal: 'Not approved' })
  if (warnings.length > 0) io.err(formatText(warnings))
  if (approval.state === 'approved') {
    io.out(`${doc.path} is already approved as it is (by ${approval.by ?? 'unknown'} at ${approval.at ?? 'unknown time'}); nothing changed.`)
    return 0
  }
  const at = minuteIn(new Date(), config.settings.timezone)
  await writeBack(resolve(root, doc.path), approveText(text, { by, at }))
  io.out(`Approved ${doc.path} by ${by} at ${at} (${approval.digest.slice(0, 19)}…). Any later change to it needs a new approval before it can be sent.`)
  return 0
}
