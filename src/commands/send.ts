import { createInterface } from 'node:readline/promises'
import type { Command, Io } from './command.ts'
import { NewsletterError } from '../errors.ts'
import { defaultLedger } from '../send/ledger.ts'
import { sendDocument, type Audience, type SendContext } from '../send/run-send.ts'
import { defaultConcurrency } from '../send/send-loop.ts'

/** `newsletter send <slug>`: validate everything, then mail an approved issue or notice, resumably. */
export const sendCommand: Command = {
  name: 'send',
  usage: 'send <slug> (--recipients FILE | --list ADDR | --to ADDR[,ADDR…]) [--dry-run] [--yes] [--ledger FILE] [--concurrency N] [--rate N] [--no-channels]',
  allowPositionals: true,
  options: {
    recipients: { type: 'string' },
    to: { type: 'string' },
    list: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    ledger: { type: 'string' },
    concurrency: { type: 'string' },
    rate: { type: 'string' },
    yes: { type: 'boolean', default: false },
    'no-channels': { type: 'boolean', default: false },
  },
  help: {
    '--recipients FILE': 'CSV with a header row: `email` required; `name` and any other columns fill {{name}}-style fields',
    '--to ADDR[,ADDR…]': 'test send to these addresses only: subject starts with [TEST], any status, not recorded',
    '--list ADDR': 'one message to one distribution-list address',
    '--dry-run': 'validate and render everything, print what would be sent, send nothing',
    '--ledger FILE': `the send ledger (default: ${defaultLedger})`,
    '--concurrency N': `SMTP connections (default: ${defaultConcurrency})`,
    '--rate N': 'messages per second (default: the relay preset, else no limit)',
    '--yes': 'do not ask for confirmation (required when not at a terminal)',
    '--no-channels': 'do not post to the Teams and Slack channels in the settings after the send',
    '--help': 'show this help',
  },
  async run(values, positionals, io, root) {
    const controller = new AbortController()
    let signals = 0
    const onSignal = (name: NodeJS.Signals) => {
      signals++
      // A second Ctrl-C means "now": what is in flight stays in doubt in the ledger and is resent on resume.
      if (signals > 1) process.exit(130)
      io.err(`\n${name}: finishing the messages in flight, then stopping (press Ctrl-C again to stop at once)`)
      controller.abort()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    try {
      return await runSend(values, positionals, io, {
        root,
        env: process.env,
        tty: Boolean(process.stdin.isTTY && process.stderr.isTTY),
        signal: controller.signal,
        confirm: askYesNo,
      })
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  },
}

async function askYesNo(question: string): Promise<boolean> {
  const readline = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await readline.question(`${question} [y/N] `)).trim())
  } finally {
    readline.close()
  }
}

/** The send command's flags read into a request, run with its surroundings passed in; returns the exit code. */
export async function runSend(values: Record<string, unknown>, positionals: string[], io: Io, context: SendContext): Promise<number> {
  const slug = positionals[0]
  if (!slug || positionals.length > 1) throw new NewsletterError('Give exactly one slug: newsletter send 2026-11 --recipients staff.csv', 'usage')
  return sendDocument(
    {
      slug,
      audience: audienceOf(values),
      concurrency: count(values.concurrency, '--concurrency'),
      rate: values.rate === undefined ? undefined : positive(values.rate, '--rate'),
      dryRun: Boolean(values['dry-run']),
      channels: !values['no-channels'],
      yes: Boolean(values.yes),
      ledger: values.ledger === undefined ? undefined : String(values.ledger),
    },
    io,
    context,
  )
}

function audienceOf(values: Record<string, unknown>): Audience {
  const given = (['recipients', 'list', 'to'] as const).filter((key) => values[key] !== undefined)
  if (given.length !== 1) {
    throw new NewsletterError(
      given.length === 0
        ? 'Say who to send to: --recipients FILE, --list ADDR or --to ADDR'
        : `Use one of --recipients, --list and --to, not ${given.map((key) => `--${key}`).join(' and ')}`,
      'usage',
    )
  }
  if (values.recipients !== undefined) return { kind: 'recipients', file: String(values.recipients) }
  if (values.list !== undefined) return { kind: 'list', address: String(values.list).trim() }
  return {
    kind: 'test',
    addresses: String(values.to)
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean),
  }
}

function count(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new NewsletterError(`${flag} must be a whole number from 1 to 100, got \`${String(value)}\``, 'usage')
  return n
}

function positive(value: unknown, flag: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new NewsletterError(`${flag} must be a number above 0 (messages per second), got \`${String(value)}\``, 'usage')
  return n
}
