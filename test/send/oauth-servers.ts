import { writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { simpleParser, type ParsedMail } from 'mailparser'

/** The app registration the tests sign in with; the secret must never appear in any output. */
export const client = { id: 'app-1234', secret: 's3cret-Value~with.odd_chars', tenant: 'contoso.onmicrosoft.com' }

/** How the fake Graph answers one request: a status with optional headers and a Graph error body; undefined: 202. */
export type GraphReply = { status: number; retryAfter?: string; code?: string; message?: string } | undefined

/** A token endpoint and a Graph `sendMail` on one real HTTP server at 127.0.0.1, recording every request. */
export interface FakeMicrosoft {
  /** `http://127.0.0.1:port`; the token endpoint is `${url}/token`, Graph is `${url}/v1.0`. */
  url: string
  /** The environment a send needs to use it. */
  env: Record<string, string>
  /** Every token issued, in order. */
  tokens: string[]
  /** Every token request's form fields. */
  tokenRequests: URLSearchParams[]
  /** Every accepted message, parsed, with the mailbox it was posted to and when (ms, performance.now()). */
  accepted: { mailbox: string; mail: ParsedMail; at: number }[]
  /** Every sendMail request: the recipient, the status answered, when, and the token used. */
  requests: { to: string; status: number; at: number; token: string }[]
  /** The most requests to one mailbox in flight at once. */
  peakInFlight: number
  /** Every token issued so far stops being valid, as if it expired early. */
  expireTokens(): void
  close(): Promise<void>
}

/**
 * Start the fake. `reply(to, attempt)` decides per recipient and attempt; `expiresIn` is the token lifetime the endpoint
 * announces (seconds); `onAccepted(count)` runs after each 202.
 */
export async function startMicrosoft(
  options: { reply?: (to: string, attempt: number) => GraphReply; expiresIn?: number; onAccepted?: (count: number) => void; delay?: number } = {},
): Promise<FakeMicrosoft> {
  const valid = new Set<string>()
  const tries = new Map<string, number>()
  const inFlight = new Map<string, number>()
  const fake: Omit<FakeMicrosoft, 'url' | 'env' | 'close'> = {
    tokens: [],
    tokenRequests: [],
    accepted: [],
    requests: [],
    peakInFlight: 0,
    expireTokens: () => valid.clear(),
  }
  const server = createServer(async (request, response) => {
    const match = /^\/v1\.0\/users\/([^/]+)\/sendMail$/.exec(request.url ?? '')
    const mailbox = match ? decodeURIComponent(match[1]!) : ''
    if (match) {
      // In flight from the moment the request arrives until its answer is sent.
      const now = (inFlight.get(mailbox) ?? 0) + 1
      inFlight.set(mailbox, now)
      fake.peakInFlight = Math.max(fake.peakInFlight, now)
      response.on('close', () => inFlight.set(mailbox, inFlight.get(mailbox)! - 1))
    }
    const body = await read(request)
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers })
      response.end(JSON.stringify(value))
    }
    if (request.method === 'POST' && request.url === '/token') {
      const form = new URLSearchParams(body.toString('utf8'))
      fake.tokenRequests.push(form)
      if (form.get('client_id') !== client.id || form.get('client_secret') !== client.secret || form.get('grant_type') !== 'client_credentials')
        return json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' })
      // A JWT-shaped token whose payload carries the granted roles, as Entra's do.
      const payload = Buffer.from(JSON.stringify({ roles: ['Mail.Send', 'SMTP.SendAsApp'], n: fake.tokens.length })).toString('base64url')
      const token = `eyJhbGciOiJub25lIn0.${payload}.sig${fake.tokens.length}x${Math.random().toString(36).slice(2)}`
      fake.tokens.push(token)
      valid.add(token)
      return json(200, { token_type: 'Bearer', expires_in: options.expiresIn ?? 3599, access_token: token })
    }
    if (request.method !== 'POST' || !match) return json(404, { error: { code: 'ResourceNotFound', message: 'no such route' } })
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? ''
    const at = performance.now()
    if (!valid.has(token)) {
      fake.requests.push({ to: '', status: 401, at, token })
      return json(401, { error: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' } })
    }
    if (request.headers['content-type'] !== 'text/plain')
      return json(400, { error: { code: 'ErrorMimeContentInvalid', message: 'Content-Type must be text/plain' } })
    const mail = await simpleParser(Buffer.from(body.toString('ascii'), 'base64'))
    const to = mail.to && !Array.isArray(mail.to) ? mail.to.value[0]!.address! : ''
    const attempt = (tries.get(to) ?? 0) + 1
    tries.set(to, attempt)
    if (options.delay) await new Promise((done) => setTimeout(done, options.delay))
    const reply = options.reply?.(to, attempt)
    fake.requests.push({ to, status: reply?.status ?? 202, at, token })
    if (reply) {
      return json(
        reply.status,
        { error: { code: reply.code ?? 'ApplicationThrottled', message: reply.message ?? 'Application is over its MailboxConcurrency limit.' } },
        reply.retryAfter ? { 'Retry-After': reply.retryAfter } : {},
      )
    }
    fake.accepted.push({ mailbox, mail, at })
    response.writeHead(202, { 'request-id': `req-${fake.accepted.length}` })
    response.end()
    options.onAccepted?.(fake.accepted.length)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return Object.assign(fake, {
    url,
    env: {
      OAUTH_CLIENT_ID: client.id,
      OAUTH_CLIENT_SECRET: client.secret,
      OAUTH_TENANT: client.tenant,
      OAUTH_TOKEN_URL: `${url}/token`,
      GRAPH_URL: `${url}/v1.0`,
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  })
}

async function read(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** A recipients CSV of `count` people (person000@example.com …) in `root`/staff.csv; returns their addresses. */
export async function staff(root: string, count: number): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `person${String(i).padStart(3, '0')}@example.com`)
  await writeFile(join(root, 'staff.csv'), `email,name\n${emails.map((email, i) => `${email},Person ${i}`).join('\n')}\n`)
  return emails
}
