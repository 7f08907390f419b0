import { existsSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import type { Command } from './command.ts'
import { NewsletterError } from '../errors.ts'
import { defaultLedger, Ledger } from '../send/ledger.ts'
import { formatReport, type Format } from '../send/report.ts'

/** `newsletter report <slug>`: what the ledger says about a send, per destination. */
export const reportCommand: Command = {
  name: 'report',
  usage: 'report <slug> [--ledger FILE] [--format text|json|csv]',
  allowPositionals: true,
  options: { ledger: { type: 'string' }, format: { type: 'string', default: 'text' } },
  help: {
    '--ledger FILE': `the send ledger (default: ${defaultLedger})`,
    '--format F': 'text (default), json (counts and rows), or csv (one row per recipient not accepted)',
    '--help': 'show this help',
  },
  async run(values, positionals, io, root) {
    const slug = positionals[0]
    if (!slug || positionals.length > 1) throw new NewsletterError('Give exactly one slug: newsletter report 2026-11', 'usage')
    const format = String(values.format)
    if (format !== 'text' && format !== 'json' && format !== 'csv') throw new NewsletterError(`--format must be text, json or csv, got \`${format}\``, 'usage')
    const path = resolve(root, String(values.ledger ?? defaultLedger))
    const shown = relative(root, path) || path
    if (!existsSync(path))
      throw new NewsletterError(`No ledger at ${shown}: nothing has been sent with it`, 'usage', undefined, { hint: 'Pass the --ledger FILE the send used' })
    const ledger = new Ledger(path, shown)
    try {
      // A notice is sent once per revision: every revision is reported, each under its number once there is more than one.
      const revisions = ledger.revisions(slug)
      const sends = revisions.flatMap(({ sendKey, revision }) =>
        ledger.destinations(sendKey).map((destination) => ({
          destination,
          revision: revisions.length > 1 ? revision : undefined,
          counts: ledger.counts(sendKey, destination),
          rows: ledger.rows(sendKey, destination),
        })),
      )
      if (sends.length === 0)
        throw new NewsletterError(`${shown} has no send of ${slug}`, 'usage', undefined, { hint: 'Check the slug, or pass the --ledger FILE the send used' })
      io.out(formatReport(slug, sends, format as Format))
      return sends.every(({ counts }) => counts.sent === counts.total) ? 0 : 1
    } finally {
      ledger.close()
    }
  },
}
