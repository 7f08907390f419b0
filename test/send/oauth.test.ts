import { generateKeyPairSync } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { SMTPServer } from 'smtp-server'
import { describe, expect, it } from 'vitest'
import { runDoctor } from '../../src/commands/doctor.ts'
import { runSend } from '../../src/commands/send.ts'
import { collect, ignoreReset, scaffold } from './helpers.ts'
import { client, staff, startMicrosoft, type FakeMicrosoft } from './oauth-servers.ts'

const { cleanups, project, sink } = scaffold({ send: '  retry_delay: 10\n  require_tls: false\n' })

async function microsoft(options: Parameters<typeof startMicrosoft>[0] = {}): Promise<FakeMicrosoft> {
  const fake = await startMicrosoft(options)
  cleanups.push(() => fake.close())
  return fake
}

/** A real smtp-server that takes only XOAUTH2 and checks the bearer token against the fake token endpoint's. */
async function xoauthServer(fake: FakeMicrosoft, options: { onMessage?: (count: number, server: SMTPServer) => void } = {}) {
  const accepted: string[] = []
  const logins: { user: string; token: string; ok: boolean }[] = []
  const revoked = new Set<string>()
  const server = new SMTPServer({
    authMethods: ['XOAUTH2'],
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      const ok = auth.method === 'XOAUTH2' && fake.tokens.includes(auth.accessToken ?? '') && !revoked.has(auth.accessToken ?? '')
      logins.push({ user: auth.username ?? '', token: auth.accessToken ?? '', ok })
      // RFC 7628 §3.2.2: a failed XOAUTH2 sign-in answers with a JSON challenge, then 535.
      if (!ok) return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://outlook.office365.com/.default' } })
      callback(null, { user: auth.username })
    },
    onData(stream, session, callback) {
      stream.resume()
      stream.on('end', () => {
        accepted.push(session.envelope.rcptTo[0]!.address)
        callback()
        options.onMessage?.(accepted.length, server)
      })
    },
  })
  server.on('error', ignoreReset)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  cleanups.push(() => new Promise<void>((done) => server.close(() => done())))
  return {
    port: (server.server.address() as AddressInfo).port,
    accepted,
    logins,
    /** Every token so far stops working and every connection is cut, as when a token expires mid-send. */
    expire() {
      for (const token of fake.tokens) revoked.add(token)
      for (const connection of (server as unknown as { connections: Set<{ _socket: { destroy(): void } }> }).connections) connection._socket.destroy()
    },
  }
}

describe('SMTP with XOAUTH2', () => {
  it('signs in with a client-credentials token when SMTP_URL has a user and no password, and again after it expires mid-send', async () => {
    const root = await project()
    const emails = await staff(root, 40)
    const fake = await microsoft()
    let expire = () => {}
    const server = await xoauthServer(fake, { onMessage: (count) => void (count === 15 && expire()) })
    expire = server.expire
    const io = collect()
    const env = { ...fake.env, SMTP_URL: `smtp://newsletter%40example.com@127.0.0.1:${server.port}` }
    const code = await runSend({ yes: true, recipients: join(root, 'staff.csv'), concurrency: '2' }, ['2026-11'], io, {
      root,
      env,
      tty: false,
      progressEvery: 60_000,
    })
    expect(io.stderr).toBe('')
    expect(code).toBe(0)
    expect(io.stdout).toMatch(/40 sent, 0 failed, 0 pending of 40 in [\d.]+s via smtp:\/\/newsletter@example\.com@127\.0\.0\.1:\d+\./)
    expect(new Set(server.accepted)).toEqual(new Set(emails))
    expect(fake.tokenRequests.map((form) => form.get('scope'))).toEqual(['https://outlook.office365.com/.default', 'https://outlook.office365.com/.default'])
    expect(server.logins.every((login) => login.user === 'newsletter@example.com')).toBe(true)
    expect(server.logins.filter((login) => !login.ok).length).toBeGreaterThanOrEqual(1)
    expect(server.logins.at(-1)).toMatchObject({ token: fake.tokens[1], ok: true })
    const everything = `${io.stdout}${io.stderr}${await readFile(join(root, '.newsletter/sends.sqlite'), 'latin1')}`
    for (const secret of [client.secret, ...fake.tokens]) expect(everything).not.toContain(secret)
  })
})

describe('newsletter doctor', () => {
  it('against Graph: names the transport and shows the token’s expiry and roles, never the token', async () => {
    const root = await project({ send: '  transport: graph\n  relay: microsoft-graph\n' })
    await staff(root, 3)
    const fake = await microsoft()
    const io = collect()
    const code = await runDoctor({ recipients: join(root, 'staff.csv') }, io, { root, env: fake.env })
    expect(io.stderr).toBe('')
    const lines = io.stdout.trim().split('\n')
    expect(lines[0]).toBe(`ok: transport: Microsoft Graph 127.0.0.1:${new URL(fake.url).port}, sending as it-news@example.com`)
    expect(lines[1]).toMatch(/^ok: token from 127\.0\.0\.1:\d+: expires \d{4}-\d\d-\d\dT[\d:.]+Z \(in 60 min\), roles Mail\.Send, SMTP\.SendAsApp$/)
    expect(lines[2]).toBe('ok: 3 recipients, within the daily cap of 10000')
    expect(lines.at(-1)).toBe('0 errors, 0 warnings.')
    expect(code).toBe(0)
    expect(fake.requests).toHaveLength(0)
    for (const secret of [client.secret, ...fake.tokens]) expect(io.stdout).not.toContain(secret)
  })

  it('against an XOAUTH2 SMTP server: connects, greets, lists AUTH, signs in and quits, sending nothing', async () => {
    const root = await project()
    const fake = await microsoft()
    const server = await xoauthServer(fake)
    const io = collect()
    const env = { ...fake.env, SMTP_URL: `smtp://newsletter%40example.com@127.0.0.1:${server.port}` }
    const code = await runDoctor({}, io, { root, env })
    const lines = io.stdout.trim().split('\n')
    expect(lines[0]).toBe(`ok: transport: SMTP smtp://127.0.0.1:${server.port}, XOAUTH2 as newsletter@example.com`)
    expect(lines[1]).toMatch(/^ok: token from 127\.0\.0\.1:\d+: expires .* roles Mail\.Send, SMTP\.SendAsApp$/)
    expect(lines[2]).toMatch(new RegExp(`^ok: connected to 127\\.0\\.0\\.1:${server.port}: `))
    expect(lines[3]).toBe(
      `warning: 127.0.0.1:${server.port} does not offer STARTTLS: messages and the sign-in cross the network unencrypted — only acceptable for a trusted internal relay`,
    )
    expect(lines[4]).toBe('ok: AUTH methods offered: XOAUTH2')
    expect(lines[5]).toBe(`ok: signed in to 127.0.0.1:${server.port} as newsletter@example.com`)
    expect(lines.at(-1)).toBe('0 errors, 1 warning.')
    expect(code).toBe(0)
    expect(server.logins).toEqual([{ user: 'newsletter@example.com', token: fake.tokens[0], ok: true }])
    expect(server.accepted).toHaveLength(0)
    for (const secret of [client.secret, ...fake.tokens]) expect(io.stdout).not.toContain(secret)
  })

  it('warns about a password for smtp.office365.com without reaching the network, and never prints the password', async () => {
    const root = await project({ send: '  relay: microsoft-365\n' })
    const io = collect()
    const code = await runDoctor({ 'no-connect': true }, io, { root, env: { SMTP_URL: 'smtp://it-news%40example.com:Pa55%3Aword@smtp.office365.com:587' } })
    expect(io.stdout.trim().split('\n')).toEqual([
      'ok: transport: SMTP smtp://smtp.office365.com:587, password as it-news@example.com',
      'warning: SMTP_URL signs in to smtp.office365.com with a password: Exchange Online turns password (Basic) sign-in for SMTP AUTH off by default at the end of December 2026 and then refuses it with 550 5.7.30 — remove the password from SMTP_URL and set OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET and OAUTH_TENANT (XOAUTH2), or use send.transport: graph (README.md, "Sending from Microsoft 365")',
      '0 errors, 1 warning (not connected: --no-connect).',
    ])
    expect(code).toBe(0)
    expect(io.stdout).not.toMatch(/Pa55/)
  })

  it('refuses a token endpoint the client secret would reach unencrypted, without contacting it', async () => {
    const root = await project({ send: '  transport: graph\n' })
    const io = collect()
    const env = { OAUTH_CLIENT_ID: client.id, OAUTH_CLIENT_SECRET: client.secret, OAUTH_TOKEN_URL: 'http://login.example.com/token' }
    expect(await runDoctor({}, io, { root, env })).toBe(1)
    expect(io.stdout).toBe(
      'error: OAUTH_TOKEN_URL must be an https:// URL, got `http://login.example.com/token` — Leave it unset to use https://login.microsoftonline.com/<OAUTH_TENANT>/oauth2/v2.0/token\n',
    )
  })

  it('fails on High Volume Email without allowed_domains, and send stops on the same error before its first message', async () => {
    const root = await project({ send: '  relay: microsoft-365-hve\n' })
    const settings = join(root, 'content/settings.yml')
    await writeFile(settings, (await readFile(settings, 'utf8')).replace('  allowed_domains: [example.com]\n', ''))
    await staff(root, 2)
    const server = await sink()
    const env = { SMTP_URL: `smtp://127.0.0.1:${server.port}` }
    const io = collect()
    expect(await runDoctor({ 'no-connect': true }, io, { root, env })).toBe(1)
    const error =
      'error: relay microsoft-365-hve delivers to your own organisation only, but send.allowed_domains is empty — list your domains under send.allowed_domains in content/settings.yml, so an outside address is refused before sending'
    expect(io.stdout).toContain(`\n${error}\n`)
    expect(io.stdout.trim().split('\n').at(-1)).toBe('1 error, 1 warning (not connected: --no-connect).')
    const refused = await runSend({ yes: true, recipients: join(root, 'staff.csv') }, ['2026-11'], collect(), { root, env, tty: false }).catch(
      (caught: Error & { details?: string }) => caught,
    )
    expect((refused as Error).message).toBe('the send set-up has 1 error: nothing was sent')
    expect((refused as Error & { details?: string }).details).toBe(error)
    expect(server.attempts).toHaveLength(0)
  })
})

describe('headers for bulk internal mail', () => {
  it('suppresses automatic replies on issue sends, not on test sends, and DKIM signs List-Unsubscribe-Post', async () => {
    const root = await project({
      send: '  retry_delay: 10\n  require_tls: false\n  unsubscribe_url: https://intranet.example.com/unsubscribe?e={{email}}\n  dkim: { domain: example.com, selector: news, key_file: dkim.pem }\n',
    })
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    await writeFile(join(root, 'dkim.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }))
    await staff(root, 1)
    const server = await sink()
    const env = { SMTP_URL: `smtp://127.0.0.1:${server.port}` }
    expect(await runSend({ yes: true, recipients: join(root, 'staff.csv') }, ['2026-11'], collect(), { root, env, tty: false })).toBe(0)
    expect(await runSend({ yes: true, to: 'tester@example.com' }, ['2026-11'], collect(), { root, env, tty: false })).toBe(0)
    const [issue, test] = server.messages
    expect(issue!.headers.get('x-auto-response-suppress')).toBe('OOF, AutoReply')
    expect(issue!.headers.get('precedence')).toBe('bulk')
    expect(issue!.headerLines.find((line) => line.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
    const signature = issue!.headerLines.find((line) => line.key === 'dkim-signature')!.line.replace(/\r\n\s+/g, ' ')
    const signed = /\bh=([^;]+)/.exec(signature)![1]!.replace(/\s/g, '').toLowerCase().split(':')
    expect(signed).toEqual(expect.arrayContaining(['from', 'subject', 'list-unsubscribe', 'list-unsubscribe-post']))
    expect(test!.subject).toMatch(/^\[TEST\] /)
    expect(test!.headers.has('x-auto-response-suppress')).toBe(false)
    expect(test!.headers.has('precedence')).toBe(false)
  })
})
