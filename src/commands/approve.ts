import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Command } from './command.ts'
import { NewsletterError } from '../errors.ts'
import { approveDocument } from '../project/approve.ts'

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
    if (values.key !== undefined && !values.sign)
      throw new NewsletterError('--key goes with --sign: newsletter approve 2026-11 --by "Jane Doe" --sign --key ~/.ssh/id_ed25519', 'usage')
    const key = values.sign ? (typeof values.key === 'string' ? resolve(root, values.key) : join(homedir(), '.ssh', 'id_ed25519')) : undefined
    return approveDocument(slug, typeof values.by === 'string' ? values.by : '', io, root, { signWith: key })
  },
}
