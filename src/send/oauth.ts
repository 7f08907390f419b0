import { NewsletterError } from '../errors.ts'
import { redact, SendError } from './transport.ts'

/** An app registration that signs in with the client-credentials flow (RFC 6749 §4.4), read from the environment only. */
export interface OAuthClient {
  clientId: string
  clientSecret: string
  tokenUrl: string
  scope: string
}

/** An access token and what it grants; `value` is a secret. */
export interface AccessToken {
  value: string
  /** When the token endpoint says it expires (ms since the epoch). */
  expiresAt: number
  /** When to fetch a new one instead (ms since the epoch): shortly before it expires. */
  refreshAt: number
  /** The application permissions in the token (`roles` of a JWT), empty when it is not a JWT. */
  roles: string[]
}

/** The scope each way of sending asks for when `OAUTH_SCOPE` is not set. */
export const defaultScopes = {
  smtp: 'https://outlook.office365.com/.default',
  graph: 'https://graph.microsoft.com/.default',
} as const

/**
 * The app registration in `OAUTH_CLIENT_ID`, `OAUTH_CLIENT_SECRET`, `OAUTH_TENANT` (or `OAUTH_TOKEN_URL`) and
 * `OAUTH_SCOPE`; undefined without `OAUTH_CLIENT_ID`. A half-filled set is refused, naming what is missing.
 */
export function oauthClientOf(env: Readonly<Record<string, string | undefined>>, defaultScope: string): OAuthClient | undefined {
  const clientId = env.OAUTH_CLIENT_ID?.trim()
  if (!clientId) return undefined
  const clientSecret = env.OAUTH_CLIENT_SECRET
  if (!clientSecret)
    throw new NewsletterError('OAUTH_CLIENT_ID is set but OAUTH_CLIENT_SECRET is not', 'refused', undefined, {
      hint: 'Set OAUTH_CLIENT_SECRET to a client secret of the app registration (Entra admin center → App registrations → the app → Certificates & secrets)',
    })
  const tenant = env.OAUTH_TENANT?.trim()
  const tokenUrl = env.OAUTH_TOKEN_URL?.trim() || (tenant ? `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token` : undefined)
  if (!tokenUrl)
    throw new NewsletterError('OAUTH_CLIENT_ID is set but neither OAUTH_TENANT nor OAUTH_TOKEN_URL is', 'refused', undefined, {
      hint: 'Set OAUTH_TENANT to the directory (tenant) ID or domain of your Microsoft 365 tenant, or OAUTH_TOKEN_URL to the token endpoint',
    })
  let url: URL | undefined
  try {
    url = new URL(tokenUrl)
  } catch {
    url = undefined
  }
  // The client secret goes in the request body: plain http only to this machine (a test server or a local proxy).
  if (!url || (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))))
    throw new NewsletterError(`OAUTH_TOKEN_URL must be an https:// URL, got \`${tokenUrl}\``, 'refused', undefined, {
      hint: 'Leave it unset to use https://login.microsoftonline.com/<OAUTH_TENANT>/oauth2/v2.0/token',
    })
  return { clientId, clientSecret, tokenUrl, scope: env.OAUTH_SCOPE?.trim() || defaultScope }
}

/**
 * One token source for every transport that needs one: a form POST with `grant_type=client_credentials`, the token
 * cached until shortly before `expires_in`, fetched again when a server refuses it. Concurrent callers share one fetch.
 */
export class TokenSource {
  private current: AccessToken | undefined
  private pending: Promise<AccessToken> | undefined
  private readonly issued = new Set<string>()

  constructor(readonly client: OAuthClient) {}

  /** Where tokens come from, without secrets: `login.microsoftonline.com`. */
  get endpoint(): string {
    return new URL(this.client.tokenUrl).host
  }

  /**
   * A token valid for a while yet. `rejected`: a server refused this token, so fetch a new one unless another caller
   * already has (many requests in flight are refused at once when a token is revoked: one fetch serves them all).
   */
  async token(rejected?: string): Promise<AccessToken> {
    const current = this.current
    if (current && (rejected === undefined ? Date.now() < current.refreshAt : current.value !== rejected)) return current
    this.pending ??= this.fetchToken()
      .then((token) => (this.current = token))
      .finally(() => (this.pending = undefined))
    return this.pending
  }

  /** The client secret and every token fetched so far: what no output may contain. */
  secrets(): string[] {
    return [this.client.clientSecret, ...this.issued]
  }

  private async fetchToken(): Promise<AccessToken> {
    const { client } = this
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: client.scope })
    let response: Response
    try {
      response = await fetch(client.tokenUrl, { method: 'POST', body, headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(30_000) })
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message
      throw new SendError(`cannot reach the token endpoint ${this.endpoint}: ${cause}`, { connection: true })
    }
    const text = await response.text()
    const json = parseJson(text)
    if (!response.ok || typeof json.access_token !== 'string') {
      const said = [json.error, json.error_description].filter((part) => typeof part === 'string').join(': ') || `HTTP ${response.status}`
      const message = redact(`the token endpoint ${this.endpoint} refused the app registration (${said.split('\r\n')[0]})`, client.clientSecret)
      if (response.status >= 500 || response.status === 429) throw new SendError(message, { connection: true, tooFast: response.status === 429 })
      throw new SendError(message, {
        fatal: true,
        hint: 'Check OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET (not expired) and OAUTH_TENANT, and that an admin granted consent to the app, then rerun to resume',
      })
    }
    const value = json.access_token
    this.issued.add(value)
    const given = Number(json.expires_in ?? 3600)
    const lifetime = (Number.isFinite(given) && given > 0 ? given : 3600) * 1000
    const now = Date.now()
    // Fetch again a tenth of the lifetime before expiry, at most 5 minutes before: a token handed to a request that
    // then waits in a queue must still be valid when the server reads it.
    return { value, expiresAt: now + lifetime, refreshAt: now + lifetime - Math.min(5 * 60_000, lifetime / 10), roles: rolesOf(value) }
  }
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** The `roles` claim of a JWT access token (application permissions such as Mail.Send); empty for opaque tokens. */
function rolesOf(token: string): string[] {
  const payload = token.split('.')[1]
  if (!payload) return []
  const claims = parseJson(Buffer.from(payload, 'base64url').toString('utf8'))
  return Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === 'string') : []
}
