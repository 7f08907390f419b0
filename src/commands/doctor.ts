import { join, relative } from 'node:path'
import { collectMessages, formatText } from '../check/messages.ts'
import { loadConfig } from '../config.ts'
import { NewsletterError } from '../errors.ts'
import type { Io } from '../io.ts'
import { resolveDestination } from '../send/destination.ts'
import { checkSetup, formatFinding } from '../send/doctor.ts'
import { readRecipients } from '../send/recipients.ts'
import { resolveLimits } from '../send/relays.ts'
import type { Command } from './command.ts'

/** `newsletter doctor`: check the send set-up (settings, sign-in, server, limits) without sending anything. */
export const doctorCommand: Command = {
  name: 'doctor',
  usage: 'doctor [--recipients FILE] [--no-connect]',
  options: { recipients: { type: 'string' }, 'no-connect': { type: 'boolean', default: false } },
  help: {
    '--recipients FILE': 'also check the recipients file and its size against the daily cap',
    '--no-connect': 'check the settings and the environment only: fetch no token, connect to no server',
    '--help': 'show this help',
  },
  run: (values, _positionals, io, root) => runDoctor(values, io, { root, env: process.env }),
}

/** The doctor command with its environment given (tests pass their own); returns 0 without errors, 1 with. */
export async function runDoctor(
  values: Record<string, unknown>,
  io: Io,
  context: { root: string; env: Readonly<Record<string, string | undefined>> },
): Promise<number> {
  const { file, config } = await loadConfig({ root: context.root })
  if (!config) {
    io.out(formatText(collectMessages([file])))
    return 1
  }
  const send = config.settings.send ?? {}
  let recipients: number | undefined
  if (typeof values.recipients === 'string') {
    const list = await readRecipients(values.recipients, { allowedDomains: send.allowed_domains })
    const messages = collectMessages([list.file])
    if (messages.length > 0) io.out(formatText(messages))
    if (messages.some((message) => message.severity === 'error')) return 1
    recipients = list.recipients.length
  }
  const connect = !values['no-connect']
  const outbox = relative(process.cwd(), join(config.outDir, 'outbox')) || '.'
  let destination
  try {
    destination = resolveDestination(config.settings, context.env, outbox)
  } catch (error) {
    if (!(error instanceof NewsletterError)) throw error
    io.out(`error: ${error.message}${error.hint ? ` — ${error.hint}` : ''}`)
    return 1
  }
  const findings = await checkSetup({
    config,
    destination,
    smtp: {
      connections: 1,
      connectionTimeout: send.connection_timeout,
      greetingTimeout: send.greeting_timeout,
      socketTimeout: send.socket_timeout,
      requireTls: send.require_tls,
    },
    limits: resolveLimits(send.relay, send),
    recipients,
    // Without connecting, no token is fetched either: the set-up is read, nothing leaves this machine.
    fetchToken: connect,
    connect,
  })
  for (const finding of findings) io.out(formatFinding(finding))
  const errors = findings.filter((finding) => finding.level === 'error').length
  const warnings = findings.filter((finding) => finding.level === 'warning').length
  io.out(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${connect ? '' : ' (not connected: --no-connect)'}.`)
  return errors > 0 ? 1 : 0
}
