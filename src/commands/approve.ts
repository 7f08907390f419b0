import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { formatText } from '../check/messages.ts'
import type { Command } from './command.ts'
import type { Io } from '../io.ts'
import { openRendered } from '../project/open-document.ts'
import { writeBack } from '../project/write.ts'
import { NewsletterError } from '../errors.ts'
import { approveText } from '../content/approval.ts'
import { minuteIn } from '../content/clock.ts'
import { signApproval } from '../content/signature.ts'

/** `newsletter approve <slug> --by NAME`: record who approved which content, so `send` can tell if it changed since. */
export const approveCommand: Command = {
  name: 'approve',
  usage: 'approve <slug> --by NAME [--sign [--key FILE]]',
  allowPositionals: true,
  options: { by: { type: 'string' }, sign: { type: 'boolean' }, key: { type: 'string' } },
  help: {
    '--by NAME': 'who approves it (written to approved_by)',
    '--sign': 'sign the approval with your SSH key (needed when the settings name send.approvers)',
    '--key FILE': 'the SSH key to sign with (default: ~/.ssh/id_ed25519; a .pub file signs through ssh-agent)',
    '--help': 'show this help',
  },
  async run(values, positionals, io, root) {
    const slug = positionals[0]
    if (!slug || positionals.length > 1) throw new NewsletterError('Give exactly one slug: newsletter approve 2026-11 --by "Jane Doe"', 'usage')
    const by = typeof values.by === 'string' ? values.by.trim() : ''
    if (by === '' || /[\u0000-\u001f\u007f]/.test(by)) throw new NewsletterError('Say who approves it: --by "Jane Doe" (one line of text)', 'usage')
    if (values.key !== undefined && !values.sign)
      throw new NewsletterError('--key goes with --sign: newsletter approve 2026-11 --by "Jane Doe" --sign --key ~/.ssh/id_ed25519', 'usage')
    const key = values.sign ? (typeof values.key === 'string' ? resolve(root, values.key) : join(homedir(), '.ssh', 'id_ed25519')) : undefined
    return approveDocument(slug, by, io, root, key)
  },
}

/**
 * Approve `slug` in the project at `root`: writes the approval keys atomically, signed with the SSH key `signWith` when
 * given; unchanged when already approved as it is (by the same person, signed when asked).
 */
export async function approveDocument(slug: string, by: string, io: Io, root: string, signWith?: string): Promise<number> {
  // Approval vouches for what readers get: the document must render and pass the checks as `build` runs them.
  const { config, doc, text, approval, warnings } = await openRendered(root, slug, { refusal: 'Not approved' })
  if (warnings.length > 0) io.err(formatText(warnings))
  if (approval.state === 'approved' && (!signWith || doc.meta.approved_signature)) {
    io.out(`${doc.path} is already approved as it is (by ${approval.by ?? 'unknown'} at ${approval.at ?? 'unknown time'}); nothing changed.`)
    return 0
  }
  const at = minuteIn(new Date(), config.settings.timezone)
  const signature = signWith ? await sign(approval.digest, by, signWith) : undefined
  await writeBack(resolve(root, doc.path), approveText(text, { by, at, signature }))
  io.out(
    `Approved ${doc.path} by ${by} at ${at} (${approval.digest.slice(0, 19)}…${signature ? `, signed with ${signWith}` : ''}). Any later change to it needs a new approval before it can be sent.`,
  )
  return 0
}

async function sign(digest: string, by: string, key: string): Promise<string> {
  try {
    return await signApproval(digest, by, key)
  } catch (error) {
    throw new NewsletterError(`Not approved: ${(error as Error).message}`, 'usage', undefined, {
      cause: error,
      hint: 'Give your SSH private key (or its .pub with the key loaded in ssh-agent): --key ~/.ssh/id_ed25519',
    })
  }
}
