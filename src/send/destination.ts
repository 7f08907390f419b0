import type { Settings } from '../config.ts'
import { NewsletterError } from '../errors.ts'
import { defaultGraphUrl, graphTransport } from './graph-transport.ts'
import { senderAddress } from './message.ts'
import { defaultScopes, oauthClientOf, TokenSource } from './oauth.ts'
import { outboxTransport, parseSmtpUrl, smtpTransport, type SmtpOptions, type SmtpUrl, type Transport } from './transport.ts'

/**
 * Where the messages go: the relay in `SMTP_URL` (signing in with XOAUTH2 when it names a user, no password, and
 * `OAUTH_CLIENT_ID` is set), Microsoft Graph with `send.transport: graph`, or `.eml` files in the outbox.
 */
export type Destination =
  { kind: 'smtp'; url: SmtpUrl; tokens?: TokenSource } | { kind: 'graph'; url: string; mailbox: string; tokens: TokenSource } | { kind: 'outbox'; dir: string }

/** Read the destination from the settings and the environment; tokens are fetched only when first needed. */
export function resolveDestination(settings: Settings, env: Readonly<Record<string, string | undefined>>, outboxDir: string): Destination {
  if (settings.send?.transport === 'graph') {
    const client = oauthClientOf(env, defaultScopes.graph)
    if (!client)
      throw new NewsletterError('send.transport is graph, but OAUTH_CLIENT_ID is not set', 'refused', undefined, {
        hint: 'Set OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET and OAUTH_TENANT for an app registration with the Mail.Send application permission (README.md, "Sending from Microsoft 365")',
      })
    return { kind: 'graph', url: graphUrlOf(env.GRAPH_URL), mailbox: settings.send.mailbox ?? senderAddress(settings.from), tokens: new TokenSource(client) }
  }
  if (!env.SMTP_URL) return { kind: 'outbox', dir: outboxDir }
  const url = parseSmtpUrl(env.SMTP_URL)
  const client = url.url.username && !url.secret ? oauthClientOf(env, defaultScopes.smtp) : undefined
  return client ? { kind: 'smtp', url, tokens: new TokenSource(client) } : { kind: 'smtp', url }
}

/** The transport a destination's messages go through; the caller closes it. */
export function openDestination(destination: Destination, smtp: SmtpOptions): Transport {
  if (destination.kind === 'smtp') return smtpTransport(destination.url, smtp, destination.tokens)
  if (destination.kind === 'graph') return graphTransport({ url: destination.url, mailbox: destination.mailbox, dkim: smtp.dkim }, destination.tokens)
  return outboxTransport(destination.dir, smtp)
}

/** Everything secret a destination holds (a password, the client secret, every token fetched so far), to hide from output. */
export function secretsOf(destination: Destination): string[] {
  if (destination.kind === 'outbox') return []
  const password = destination.kind === 'smtp' && destination.url.secret ? [destination.url.secret] : []
  return [...password, ...(destination.tokens?.secrets() ?? [])]
}

function graphUrlOf(value: string | undefined): string {
  if (!value) return defaultGraphUrl
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new NewsletterError(`GRAPH_URL is not a URL: \`${value}\``, 'refused', undefined, { hint: `Leave it unset for ${defaultGraphUrl}` })
  }
  // Plain http only to this machine (a proxy or a test server): a token must not cross the network unencrypted.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)))
    throw new NewsletterError(`GRAPH_URL must be an https:// URL, got \`${value}\``, 'refused', undefined, { hint: `Leave it unset for ${defaultGraphUrl}` })
  return value
}
