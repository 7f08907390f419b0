import { relative, resolve } from 'node:path'
import { formatText } from '../check/messages.ts'
import { NewsletterError } from '../errors.ts'
import { openRendered } from '../project/open-document.ts'
import { checkApproval, needsApproval } from '../content/approval.ts'
import { requireSignedApproval } from '../content/signature.ts'
import { channelPost, postToChannels } from '../send/channels.ts'
import { defaultLedger, Ledger } from '../send/ledger.ts'
import type { Command } from './command.ts'

/** `newsletter post <slug>`: post an approved issue or notice revision to the settings' channels, without mailing. */
export const postCommand: Command = {
  name: 'post',
  usage: 'post <slug> [--ledger FILE]',
  allowPositionals: true,
  options: { ledger: { type: 'string' } },
  help: {
    '--ledger FILE': `the send ledger, where posts are recorded so a rerun or a send never posts twice (default: ${defaultLedger})`,
    '--help': 'show this help',
  },
  async run(values, positionals, io, root) {
    const slug = positionals[0]
    if (!slug || positionals.length > 1) throw new NewsletterError('Give exactly one slug: newsletter post 2026-10-14-vpn-outage', 'usage')
    const { config, doc, text, parts, warnings, project } = await openRendered(root, slug, { refusal: 'Not posted' })
    if (warnings.length > 0) io.err(formatText(warnings))
    const { settings } = config
    if (settings.channels.length === 0) {
      throw new NewsletterError(
        'No channels to post to',
        'usage',
        { file: project.settingsFile.path, line: 1, column: 1 },
        { hint: 'Add `channels: [{ kind: teams, webhook_env: TEAMS_WEBHOOK_URL }]` to the settings' },
      )
    }
    if (needsApproval(doc, settings)) {
      checkApproval(doc, text)
      await requireSignedApproval(doc, config)
    }
    const post = channelPost(parts, settings.archive_url)
    const path = resolve(root, typeof values.ledger === 'string' ? values.ledger : defaultLedger)
    const record = new Ledger(path, relative(root, path) || path)
    try {
      const results = await postToChannels(post, settings.channels, process.env, record)
      for (const result of results) {
        const what =
          result.outcome === 'posted'
            ? `posted (${result.attempts} attempt${result.attempts === 1 ? '' : 's'})`
            : result.outcome === 'already-posted'
              ? 'already posted, not again'
              : `failed: ${result.reason}`
        ;(result.outcome === 'failed' ? io.err : io.out)(`${result.channel}: ${slug} revision ${post.revision} ${what}`)
      }
      const failed = results.filter((result) => result.outcome === 'failed').length
      io.out(`${results.length - failed} of ${results.length} channels have revision ${post.revision} of ${slug} (${relative(root, path) || path}).`)
      return failed > 0 ? 1 : 0
    } finally {
      record.close()
    }
  },
}
