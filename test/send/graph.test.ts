import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { reportCommand } from '../../src/commands/report.ts'
import { runSend } from '../../src/commands/send.ts'
import { approveText } from '../../src/content/approval.ts'
import { appendNoticeUpdate } from '../../src/content/update-notice.ts'
import { Ledger } from '../../src/send/ledger.ts'
import { collect, repo, scaffold, spawnCli } from './helpers.ts'
import { client, staff, startMicrosoft, type FakeMicrosoft } from './oauth-servers.ts'

const { cleanups, project } = scaffold({ send: '  transport: graph\n  retry_delay: 10\n' })

async function microsoft(options: Parameters<typeof startMicrosoft>[0] = {}): Promise<FakeMicrosoft> {
  const fake = await startMicrosoft(options)
  cleanups.push(() => fake.close())
  return fake
}

async function send(root: string, fake: FakeMicrosoft, flags: Record<string, unknown> = {}, slug = '2026-11') {
  const io = collect()
  const code = await runSend({ yes: true, recipients: join(root, 'staff.csv'), ...flags }, [slug], io, {
    root,
    env: fake.env,
    tty: false,
    progressEvery: 60_000,
  })
  return { code, io }
}

function countsOf(root: string, key: string, destination = 'graph it-news@example.com') {
  const ledger = new Ledger(join(root, '.newsletter/sends.sqlite'))
  try {
    return ledger.counts(key, destination)
  } finally {
    ledger.close()
  }
}

describe('send through Microsoft Graph', () => {
  it('posts the same MIME as SMTP, base64, to /users/{from}/sendMail, with one client-credentials token', async () => {
    const root = await project()
    const emails = await staff(root, 3)
    const fake = await microsoft()
    const { code, io } = await send(root, fake)
    expect(io.stderr).toBe('')
    expect(code).toBe(0)
    expect(io.stdout).toMatch(/3 sent, 0 failed, 0 pending of 3 in [\d.]+s via Microsoft Graph 127\.0\.0\.1:\d+ as it-news@example\.com\./)
    expect(fake.tokenRequests).toHaveLength(1)
    expect(Object.fromEntries(fake.tokenRequests[0]!)).toEqual({
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: client.secret,
      scope: 'https://graph.microsoft.com/.default',
    })
    expect(fake.accepted.map((a) => a.mailbox)).toEqual(['it-news@example.com', 'it-news@example.com', 'it-news@example.com'])
    const first = fake.accepted.find((a) => a.mail.text?.includes('Person 0') || a.mail.to)!.mail
    expect(first.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' })
    expect(first.text).toContain('Windows')
    expect(first.html).toContain('<html')
    expect(first.from?.value[0]).toMatchObject({ name: 'Brightwater IT', address: 'it-news@example.com' })
    expect(first.headers.get('x-auto-response-suppress')).toBe('OOF, AutoReply')
    expect(first.headers.get('precedence')).toBe('bulk')
    expect(first.messageId).toMatch(/@example\.com>$/)
    expect(new Set(fake.accepted.map((a) => (a.mail.to && !Array.isArray(a.mail.to) ? a.mail.to.value[0]!.address : '')))).toEqual(new Set(emails))
    expect(countsOf(root, '2026-11')).toMatchObject({ sent: 3, failed: 0, pending: 0, inDoubt: 0 })
  })

  it('threads a notice revision under the first and carries a maintenance invite, read back from the request bodies', async () => {
    const root = await project()
    await staff(root, 2)
    const fake = await microsoft()
    const maintenance = '2026-11-28-email-maintenance'
    await mkdir(join(root, 'content/notices'), { recursive: true })
    const path = join(root, 'content/notices', `${maintenance}.md`)
    const text = (await readFile(join(repo, 'content/notices', `${maintenance}.md`), 'utf8')).replace('status: draft', 'status: review')
    await writeFile(path, approveText(text, { by: 'On-call', at: '2026-11-21T10:05' }))
    expect((await send(root, fake, { 'no-channels': true }, maintenance)).code).toBe(0)
    const updated = appendNoticeUpdate(await readFile(path, 'utf8'), { state: 'in-progress', text: 'Work has started.', time: '2026-11-28T22:00' })
    await writeFile(path, approveText(updated.text, { by: 'On-call', at: '2026-11-28T22:01' }))
    const second = await send(root, fake, { 'no-channels': true }, maintenance)
    expect(second.io.stderr).toBe('')
    expect(second.code).toBe(0)
    expect(fake.accepted).toHaveLength(4)
    const to = (a: FakeMicrosoft['accepted'][number]) => (a.mail.to && !Array.isArray(a.mail.to) ? a.mail.to.value[0]!.address : '')
    const [firstMail, revised] = [fake.accepted.slice(0, 2), fake.accepted.slice(2)].map((round) => round.find((a) => to(a) === 'person000@example.com')!.mail)
    expect(revised!.messageId).not.toBe(firstMail!.messageId)
    expect(revised!.inReplyTo).toBe(firstMail!.messageId)
    expect(revised!.references).toContain(firstMail!.messageId)
    const invite = revised!.attachments.find((part) => part.contentType.startsWith('text/calendar'))
    expect(invite?.content.toString('utf8')).toMatch(/^UID:notice-2026-11-28-email-maintenance@intranet\.example\.com\r$/m)
    expect(invite?.content.toString('utf8')).toMatch(/^DTSTART:20261128T220000Z\r$/m)
  })

  it('waits for Retry-After on 429 and 503, then sends everyone in the same run, never more than 4 requests in flight', async () => {
    const root = await project()
    const emails = await staff(root, 24)
    const fake = await microsoft({
      delay: 20,
      reply: (to, attempt) =>
        attempt > 1
          ? undefined
          : to === 'person003@example.com'
            ? { status: 429, retryAfter: '1' }
            : to === 'person010@example.com'
              ? { status: 503, retryAfter: '1', code: 'ServiceUnavailable' }
              : undefined,
    })
    const { code, io } = await send(root, fake, { concurrency: '10' })
    expect(io.stderr).toBe('')
    expect(code).toBe(0)
    expect(io.stdout).toMatch(/24 sent, 0 failed, 0 pending of 24/)
    expect(fake.peakInFlight).toBeLessThanOrEqual(4)
    for (const email of ['person003@example.com', 'person010@example.com']) {
      const [refused, accepted] = fake.requests.filter((r) => r.to === email)
      expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(990)
    }
    expect(new Set(fake.accepted.map((a) => (a.mail.to && !Array.isArray(a.mail.to) ? a.mail.to.value[0]!.address : '')))).toEqual(new Set(emails))
  })

  it('fetches a new token once when Graph says the old one expired, and records 400s as failed with Graph’s code and message', async () => {
    const root = await project()
    await staff(root, 12)
    const fake: FakeMicrosoft = await microsoft({
      onAccepted: (count) => void (count === 5 && fake.expireTokens()),
      reply: (to) =>
        to === 'person007@example.com' ? { status: 400, code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid.' } : undefined,
    })
    const { code, io } = await send(root, fake, { concurrency: '1' })
    expect(code).toBe(1)
    expect(io.stderr).toMatch(/11 sent, 1 failed, 0 pending of 12/)
    expect(io.stderr).toContain('failed: person007@example.com: 400 ErrorInvalidRecipients: At least one recipient is not valid.')
    expect(fake.tokenRequests).toHaveLength(2)
    expect(fake.requests.filter((r) => r.status === 401)).toHaveLength(1)
    const report = collect()
    await reportCommand.run({ format: 'text' }, ['2026-11'], report, root)
    expect(report.stdout).toContain('person007@example.com')
    expect(report.stdout).toContain('400 ErrorInvalidRecipients: At least one recipient is not valid.')
    // The secret and the tokens are nowhere: output, report, ledger.
    const ledgerBytes = (await readdir(join(root, '.newsletter'))).map((name) => readFile(join(root, '.newsletter', name), 'latin1'))
    const everything = [io.stdout, io.stderr, report.stdout, report.stderr, ...(await Promise.all(ledgerBytes))].join('\n')
    expect(fake.tokens).toHaveLength(2)
    for (const secret of [client.secret, ...fake.tokens]) expect(everything).not.toContain(secret)
  })

  it('stops the run when the token endpoint refuses the app, naming what to check, without the secret', async () => {
    const root = await project()
    await staff(root, 2)
    const fake = await microsoft()
    const io = collect()
    const refused = await runSend({ yes: true, recipients: join(root, 'staff.csv') }, ['2026-11'], io, {
      root,
      env: { ...fake.env, OAUTH_CLIENT_SECRET: 'wrong-secret-value' },
      tty: false,
    }).catch((error: Error & { details?: string; hint?: string }) => error)
    expect(refused).toBeInstanceOf(Error)
    const error = refused as Error & { details?: string }
    expect(error.message).toBe('the send set-up has 1 error: nothing was sent')
    expect(error.details).toBe(
      `error: the token endpoint 127.0.0.1:${new URL(fake.url).port} refused the app registration (invalid_client: AADSTS7000215: Invalid client secret provided.) — Check OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET (not expired) and OAUTH_TENANT, and that an admin granted consent to the app`,
    )
    expect(`${error.message}${error.details}${io.stdout}${io.stderr}`).not.toContain('wrong-secret-value')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('send through Microsoft Graph (CLI)', () => {
  it(
    'loses nobody when killed with SIGKILL mid-send: a rerun resends at most the 4 requests that were in flight',
    { tags: ['process'], timeout: 120_000 },
    async () => {
      const root = await project()
      const emails = await staff(root, 120)
      let child: { kill(signal: NodeJS.Signals): boolean } | undefined
      const fake = await microsoft({ delay: 5, onAccepted: (count) => void (count === 40 && child?.kill('SIGKILL')) })
      const args = ['send', '2026-11', '--recipients', 'staff.csv', '--yes', '--no-channels']
      const killed = await spawnCli(args, { cwd: root, env: fake.env, onSpawn: (spawned) => (child = spawned) })
      expect(killed.signal).toBe('SIGKILL')
      const acceptedBeforeKill = fake.accepted.length
      expect(acceptedBeforeKill).toBeGreaterThanOrEqual(40)
      expect(acceptedBeforeKill).toBeLessThan(emails.length)
      const counts = countsOf(root, '2026-11')
      expect(counts.total).toBe(emails.length)
      expect(counts.sent).toBeLessThanOrEqual(acceptedBeforeKill)

      const resumed = await spawnCli(args, { cwd: root, env: fake.env })
      expect(resumed.stderr).not.toMatch(/error/)
      expect(resumed.code).toBe(0)
      const to = fake.accepted.map((a) => (a.mail.to && !Array.isArray(a.mail.to) ? a.mail.to.value[0]!.address! : ''))
      expect(new Set(to)).toEqual(new Set(emails))
      expect(to.length - emails.length).toBeLessThanOrEqual(4)
      const output = `${killed.stdout}${killed.stderr}${resumed.stdout}${resumed.stderr}${await readFile(join(root, '.newsletter/sends.sqlite'), 'latin1')}`
      for (const secret of [client.secret, ...fake.tokens]) expect(output).not.toContain(secret)
      // Two CLI runs, each loading the renderer: slow on a busy machine.
    },
  )
})
