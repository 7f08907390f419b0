import { relative, resolve } from 'node:path'
import { collectMessages, formatText } from '../check/report.ts'
import { hasErrors, NewsletterError } from '../errors.ts'
import { renderParts } from '../markdown/parts.ts'
import { loadProject } from '../project/project.ts'
import { checkApproval, needsApproval } from '../content/approval.ts'
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
    // Only this document is validated: a typo in another draft never holds up an urgent post.
    const project = await loadProject(root, { only: (source) => source.slug === slug })
    if (!project.config) {
      io.err(formatText(collectMessages([project.settingsFile]).filter((m) => m.severity === 'error')))
      return 1
    }
    const { settings } = project.config
    const [entry] = project.sources
    if (!entry)
      throw new NewsletterError(`No issue or notice named \`${slug}\``, 'usage', undefined, {
        hint: 'The slug is the file name without .md, e.g. 2026-10-14-vpn-outage',
      })
    const { doc, file } = entry.loaded
    if (!doc || hasErrors([file]) || entry.text === undefined) {
      io.err(`${formatText(collectMessages([file]).filter((m) => m.severity === 'error'))}\nNot posted: fix the errors above first.`)
      return 1
    }
    if (settings.channels.length === 0) {
      throw new NewsletterError(
        'No channels to post to',
        'usage',
        { file: project.settingsFile.path, line: 1, column: 1 },
        { hint: 'Add `channels: [{ kind: teams, webhook_env: TEAMS_WEBHOOK_URL }]` to the settings' },
      )
    }
    if (needsApproval(doc, settings)) checkApproval(doc, entry.text)
    const post = channelPost(renderParts(doc, { locale: settings.language }), settings.archive_url)
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
