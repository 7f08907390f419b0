import { resolve } from 'node:path'
import { formatText } from '../check/messages.ts'
import { approveText } from '../content/approval.ts'
import { minuteIn } from '../content/clock.ts'
import type { Kind } from '../content/load.ts'
import { signApproval } from '../content/signature.ts'
import { NewsletterError } from '../errors.ts'
import type { Io } from '../io.ts'
import { openRendered } from './open-document.ts'
import { writeBack } from './write.ts'

/** How an approval is made besides who makes it. */
export interface ApproveOptions {
  /** Sign the approval with this SSH key (`approve --sign`). */
  signWith?: string
  /** Only this kind: an issue and a notice may share a slug (the preview knows which it shows). */
  kind?: Kind
}

/**
 * Approve `slug` in the project at `root` by `by`, as `newsletter approve` and the preview's button both do: refuses
 * a document with errors (throwing DocumentErrors, which list them), writes the approval keys atomically, signed with the SSH key
 * `signWith` when given; unchanged when already approved as it is (by the same person, signed when asked).
 */
export async function approveDocument(slug: string, by: string, io: Io, root: string, options: ApproveOptions = {}): Promise<number> {
  const name = by.trim()
  if (name === '' || /[\u0000-\u001f\u007f]/.test(name)) throw new NewsletterError('Say who approves it: --by "Jane Doe" (one line of text)', 'usage')
  const { signWith } = options
  // Approval vouches for what readers get: the document must render and pass the checks as `build` runs them.
  const { config, doc, text, approval, warnings } = await openRendered(root, slug, { refusal: 'Not approved', kind: options.kind })
  if (warnings.length > 0) io.err(formatText(warnings))
  if (approval.state === 'approved' && (!signWith || doc.meta.approved_signature)) {
    io.out(`${doc.path} is already approved as it is (by ${approval.by ?? 'unknown'} at ${approval.at ?? 'unknown time'}); nothing changed.`)
    return 0
  }
  // An unsigned approval would only be refused by `send` and left out by `build`: refuse it here, where it is made.
  const approvers = config.settings.send?.approvers
  if (approvers && !signWith)
    throw new NewsletterError(`Not approved: ${approvers} (send.approvers) asks for signed approvals`, 'usage', undefined, {
      hint: `Sign it with your SSH key at a terminal: newsletter approve ${slug} --by "${name}" --sign`,
    })
  const at = minuteIn(new Date(), config.settings.timezone)
  const signature = signWith ? await sign(approval.digest, name, signWith) : undefined
  await writeBack(resolve(root, doc.path), approveText(text, { by: name, at, signature }))
  io.out(
    `Approved ${doc.path} by ${name} at ${at} (${approval.digest.slice(0, 19)}…${signature ? `, signed with ${signWith}` : ''}). Any later change to it needs a new approval before it can be sent.`,
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
