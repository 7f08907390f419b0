import { generateKeyPairSync } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runSend } from '../../src/commands/send.ts'
import type { NewsletterError } from '../../src/errors.ts'
import { reportCommand } from '../../src/commands/report.ts'
import { approveText } from '../../src/content/approval.ts'
import { Ledger } from '../../src/send/ledger.ts'
import { collect, ignoreReset, scaffold } from './helpers.ts'

const { cleanups, project, sink } = scaffold()

async function csv(root: string, rows: string[], header = 'email,name,department'): Promise<string> {
  const path = join(root, 'staff.csv')
  await writeFile(path, `${[header, ...rows].join('\n')}\n`)
  return path
}

const fast = '  retry_delay: 10\n  connection_timeout: 1000\n  greeting_timeout: 300\n  socket_timeout: 1000\n  require_tls: false\n'

async function send(root: string, port: number, flags: Record<string, unknown>, env: Record<string, string> = {}) {
  const io = collect()
  const code = await runSend({ yes: true, ...flags }, ['2026-11'], io, {
    root,
    env: { SMTP_URL: `smtp://127.0.0.1:${port}`, ...env },
    tty: false,
    progressEvery: 60_000,
  })
  return { code, io }
}

describe('send over SMTP', () => {
  it('sends multipart/alternative with the list headers, a stable Message-ID and filled-in fields', async () => {
    const root = await project({
      send: `${fast}  unsubscribe_url: https://intranet.example.com/unsubscribe?email={{email}}\n`,
      edit: (text) =>
        text
          .replace('title: "November: Windows restarts and QR-code phishing"', 'title: "November news for {{name|you}}"')
          .replace('## Faster help on the phone', 'Hello {{name|colleague}} in {{ department }}.\n\n## Faster help on the phone'),
    })
    const server = await sink()
    const list = await csv(root, ['ann@example.com,Ann <b>Lee</b>,Finance & Legal', 'bo@example.com,,IT'])
    const { code, io } = await send(root, server.port, { recipients: list })
    expect(io.stderr).toBe('')
    expect(code).toBe(0)
    expect(io.stdout).toMatch(/2 sent, 0 failed, 0 pending of 2/)
    const byTo = new Map(server.messages.map((message) => [message.to && !Array.isArray(message.to) ? message.to.value[0]!.address : '', message]))
    const ann = byTo.get('ann@example.com')!
    expect(ann.subject).toBe('November news for Ann <b>Lee</b>')
    expect(ann.from?.value[0]).toMatchObject({ name: 'Brightwater IT', address: 'it-news@example.com' })
    expect(ann.to && !Array.isArray(ann.to) ? ann.to.value[0]!.name : '').toBe('Ann <b>Lee</b>')
    expect(ann.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' })
    expect(ann.text).toContain('Hello Ann <b>Lee</b> in Finance & Legal.')
    expect(ann.html).toContain('Hello Ann &#60;b&#62;Lee&#60;/b&#62; in Finance &#38; Legal.')
    expect(ann.html).not.toContain('{{')
    const lines = Object.fromEntries(ann.headerLines.map(({ key, line }) => [key, line.replace(/\r\n\s+/g, ' ')]))
    expect(lines['list-id']).toBe('List-ID: "Brightwater Logistics" <it-news.example.com>')
    expect(lines['list-unsubscribe']).toBe('List-Unsubscribe: <https://intranet.example.com/unsubscribe?email=ann%40example.com>')
    expect(lines['list-unsubscribe-post']).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
    expect(ann.messageId).toMatch(/^<2026-11\.[0-9a-f]{32}@example\.com>$/)
    expect(ann.date).toBeInstanceOf(Date)
    const bo = byTo.get('bo@example.com')!
    expect(bo.text).toContain('Hello colleague in IT.')
    expect(bo.subject).toBe('November news for you')
    expect(bo.messageId).not.toBe(ann.messageId)

    // The same recipient gets the same Message-ID in another run (another ledger, so it is resent).
    const again = await send(root, server.port, { recipients: list, ledger: join(root, 'second.sqlite') })
    expect(again.code).toBe(0)
    const resent = server.messages.slice(2).find((message) => message.subject === ann.subject)!
    expect(resent.messageId).toBe(ann.messageId)
  })

  it('leaves List-Unsubscribe out when the settings give no URL, and prefixes test sends', async () => {
    const root = await project({ send: fast })
    const server = await sink()
    const { code, io } = await send(root, server.port, { to: 'tester@example.com,Second@example.com' })
    expect(code).toBe(0)
    expect(io.stdout).toMatch(/not recorded in the ledger/)
    expect(server.messages).toHaveLength(2)
    expect(server.messages[0]!.subject).toBe('[TEST] November: Windows restarts and QR-code phishing')
    const keys = server.messages[0]!.headerLines.map(({ key }) => key)
    expect(keys).toContain('list-id')
    expect(keys).not.toContain('list-unsubscribe')
    expect(keys).not.toContain('list-unsubscribe-post')
  })

  it('retries a 4xx reply and then records the message as sent', async () => {
    const root = await project({ send: fast })
    const server = await sink({ reply: (to, attempt) => (to === 'ann@example.com' && attempt === 1 ? 451 : undefined) })
    const { code, io } = await send(root, server.port, { recipients: await csv(root, ['ann@example.com,Ann,IT', 'bo@example.com,Bo,IT']) })
    expect(code).toBe(0)
    expect(io.stdout).toMatch(/2 sent, 0 failed/)
    expect(server.attempts.filter((to) => to === 'ann@example.com')).toHaveLength(2)
    const ledger = new Ledger(join(root, '.newsletter/sends.sqlite'))
    expect(ledger.rows('2026-11', `smtp 127.0.0.1:${server.port}`).find((row) => row.email === 'ann@example.com')).toMatchObject({ state: 'sent', attempts: 2 })
    ledger.close()
  })

  it('records a 5xx reply as failed without retrying, exits 1, and report lists it', async () => {
    const root = await project({ send: fast })
    const server = await sink({ reply: (to) => (to === 'gone@example.com' ? 550 : undefined) })
    const { code, io } = await send(root, server.port, { recipients: await csv(root, ['gone@example.com,Gone,IT', 'bo@example.com,Bo,IT']) })
    expect(code).toBe(1)
    expect(server.attempts.filter((to) => to === 'gone@example.com')).toHaveLength(1)
    expect(io.stderr).toMatch(/1 sent, 1 failed, 0 pending of 2/)
    expect(io.stderr).toMatch(/failed: gone@example\.com: 550 Mailbox unavailable/)

    const ledgerPath = join(root, '.newsletter/sends.sqlite')
    const report = collect()
    expect(await reportCommand.run({ ledger: ledgerPath, format: 'text' }, ['2026-11'], report, root)).toBe(1)
    expect(report.stdout).toMatch(/^2026-11 to smtp 127\.0\.0\.1:\d+: 1 sent, 1 failed, 0 pending, 0 in doubt \(of 2\)$/m)
    expect(report.stdout).toMatch(/failed: gone@example\.com \(1 attempt\): 550 Mailbox unavailable/)
    const json = collect()
    await reportCommand.run({ ledger: ledgerPath, format: 'json' }, ['2026-11'], json, root)
    expect(JSON.parse(json.stdout)).toMatchObject({
      slug: '2026-11',
      destinations: [
        {
          destination: `smtp 127.0.0.1:${server.port}`,
          counts: { sent: 1, failed: 1 },
          recipients: [{ email: 'gone@example.com', state: 'failed', reply: '550 Mailbox unavailable' }],
        },
      ],
    })
    const table = collect()
    await reportCommand.run({ ledger: ledgerPath, format: 'csv' }, ['2026-11'], table, root)
    expect(table.stdout.trim().split('\n')).toEqual([
      'destination,email,state,attempts,reply,updated_at',
      expect.stringMatching(/^smtp 127\.0\.0\.1:\d+,gone@example\.com,failed,1,550 Mailbox unavailable,\d{4}-/),
    ])

    // A rerun does not retry the permanent failure and says there is nothing to send.
    const rerun = await send(root, server.port, { recipients: await csv(root, ['gone@example.com,Gone,IT', 'bo@example.com,Bo,IT']) })
    expect(rerun.code).toBe(1)
    expect(rerun.io.stdout).toMatch(/Nothing to send: all 2 recipients of 2026-11 are already settled .* \(1 sent, 1 failed\)/)
    expect(server.attempts).toHaveLength(2)
  })

  it('resends when the connection drops after DATA, and a rerun sends nothing', async () => {
    const root = await project({ send: fast })
    const server = await sink({ reply: (_to, attempt) => (attempt === 1 ? 'drop' : undefined) })
    const list = await csv(root, ['ann@example.com,Ann,IT', 'bo@example.com,Bo,IT', 'cy@example.com,Cy,IT'])
    const { code } = await send(root, server.port, { recipients: list, concurrency: '2' })
    expect(code).toBe(0)
    expect(server.messages.map((m) => m.subject)).toHaveLength(3)
    expect(server.attempts).toHaveLength(6)
    const rerun = await send(root, server.port, { recipients: list })
    expect(rerun.code).toBe(0)
    expect(rerun.io.stdout).toMatch(/Nothing to send: all 3 recipients/)
    expect(server.attempts).toHaveLength(6)
  })

  it('gives up on a server that never greets, within the timeout, leaving recipients pending', async () => {
    const root = await project({ send: fast.replace('retry_delay: 10', 'retry_delay: 10\n  attempts: 2\n  give_up_after: 1000') })
    const sockets = new Set<Socket>()
    const silent: Server = createServer((socket) => void sockets.add(socket.on('error', ignoreReset)))
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done))
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((done) => silent.close(done))
    })
    const started = performance.now()
    const { code, io } = await send(root, (silent.address() as { port: number }).port, { recipients: await csv(root, ['ann@example.com,Ann,IT']) })
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(code).toBe(1)
    expect(io.stderr).toMatch(/^Stopped: .* 0 sent, 0 failed, 1 pending of 1 /m)
    expect(io.stderr).toMatch(/^The server is unreachable: no answer from 127\.0\.0\.1:\d+ for 1 s \(last error: ETIMEDOUT: Greeting never received\)\.$/m)
    expect(io.stderr).toMatch(/rerun the same command to resume/)
    const ledger = new Ledger(join(root, '.newsletter/sends.sqlite'))
    // Tried for as long as give_up_after allows, not only `attempts` times: the server, not the recipient, failed.
    expect(ledger.rows('2026-11', `smtp 127.0.0.1:${(silent.address() as { port: number }).port}`)[0]).toMatchObject({
      state: 'pending',
      attempts: expect.any(Number),
      reply: expect.stringMatching(/Greeting never received/),
    })
    expect(ledger.rows('2026-11', `smtp 127.0.0.1:${(silent.address() as { port: number }).port}`)[0]!.attempts).toBeGreaterThan(2)
    ledger.close()
  })

  it('names STARTTLS, send.require_tls and smtps:// when the server offers no STARTTLS and require_tls is on', async () => {
    const root = await project({ send: fast.replace('  require_tls: false\n', '') })
    const server = await sink()
    const { code, io } = await send(root, server.port, { recipients: await csv(root, ['ann@example.com,Ann,IT', 'bo@example.com,Bo,IT']) })
    expect(code).toBe(1)
    expect(io.stderr).toMatch(/^Stopped: .* 0 sent, 0 failed, 2 pending of 2 /m)
    expect(io.stderr).toContain(
      `Sending stopped: 127.0.0.1:${server.port} does not offer STARTTLS (it answered \`500 Error: command not recognized\`), and send.require_tls is on, so the password would cross the network unencrypted.\n` +
        '  For a trusted internal relay, set send.require_tls: false in content/settings.yml; or, if the server offers implicit TLS, use smtps://…:465 in SMTP_URL\n',
    )
    expect(server.accepted).toHaveLength(0)
  })

  it('fills {{fields}} in links percent-encoded, and refuses a row whose value would make a link unsafe', async () => {
    const root = await project({
      send: fast,
      edit: (text) =>
        text.replace(
          '## Thank you',
          'Your [portal]({{portal}}), your <a href="https://intranet.example.com/people?n={{name}}">profile</a>, <a href="{{name}}">you</a>.\n\n## Thank you',
        ),
    })
    const server = await sink()
    const list = await csv(
      root,
      [
        'ann@example.com,Ann & Co?#x,https://portal.example.com/a b',
        'bo@example.com,javascript:alert(1),https://portal.example.com/',
        'cy@example.com,Cy,"data:text/html;base64,PHNjcmlwdD4="',
      ],
      'email,name,portal',
    )
    const refused = collect()
    const error = await runSend({ yes: true, recipients: list }, ['2026-11'], refused, {
      root,
      env: { SMTP_URL: `smtp://127.0.0.1:${server.port}` },
      tty: false,
    }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'refused', message: '3 recipients would get an unsafe link: nothing was sent' })
    // The rows come with the error, printed above it at the command line.
    expect((error as NewsletterError).details?.split('\n')).toEqual([
      `${list}:2:17: error: \`name\` of ann@example.com makes a link \`Ann%20&%20Co?#x\`, which is not an https:, http: or mailto: link (recipients/link)`,
      `${list}:3:16: error: \`name\` of bo@example.com makes a link \`javascript:alert(1)\`, which is not an https:, http: or mailto: link (recipients/link)`,
      `${list}:4:19: error: \`portal\` of cy@example.com makes a link \`data:text/html;base64,PHNjcmlwdD4=\`, which is not an https:, http: or mailto: link (recipients/link)`,
    ])
    expect(server.attempts).toHaveLength(0)

    // Without the link that is the name alone, the values are filled percent-encoded, and the Markdown link too.
    const text = await readFile(join(root, 'content/issues/2026-11.md'), 'utf8')
    await writeFile(
      join(root, 'content/issues/2026-11.md'),
      approveText(text.replace(', <a href="{{name}}">you</a>', ''), { by: 'Test Approver', at: '2026-11-02T09:00' }),
    )
    await writeFile(list, 'email,name,portal\nann@example.com,Ann & Co?#x,https://portal.example.com/a b\n')
    const { code } = await send(root, server.port, { recipients: list })
    expect(code).toBe(0)
    const html = server.messages[0]!.html as string
    expect(html).toContain('href="https://portal.example.com/a%20b"')
    expect(html).toContain('href="https://intranet.example.com/people?n=Ann%20%26%20Co%3F%23x"')
    expect(html).not.toMatch(/%7B%7B|\{\{/i)
  })

  it('never prints, records or reports the SMTP password', async () => {
    const password = 'S3cr3t-p@ss:w0rd!'
    const root = await project({ send: fast })
    const server = await sink({
      auth: { user: 'it-news', pass: password },
      reply: (to) => (to === 'gone@example.com' ? 550 : to === 'slow@example.com' ? 451 : undefined),
    })
    const url = `smtp://it-news:${encodeURIComponent(password)}@127.0.0.1:${server.port}`
    const list = await csv(root, ['ann@example.com,Ann,IT', 'gone@example.com,Gone,IT', 'slow@example.com,Slow,IT'])
    const outputs: string[] = []
    for (const flags of [{ 'dry-run': true }, {}]) {
      const io = collect()
      const code = await runSend({ yes: true, recipients: list, ...flags }, ['2026-11'], io, { root, env: { SMTP_URL: url }, tty: false, progressEvery: 0 })
      outputs.push(io.stdout, io.stderr)
      expect(code).toBe('dry-run' in flags ? 0 : 1)
    }
    expect(server.messages).toHaveLength(1)
    // The wrong password: the server's refusal is shown, the password is not.
    const wrong = collect()
    await runSend({ yes: true, to: 'ann@example.com' }, ['2026-11'], wrong, {
      root,
      env: { SMTP_URL: url.replace('127.0.0.1', 'localhost').replace(encodeURIComponent(password), encodeURIComponent(`${password}x`)) },
      tty: false,
    })
    outputs.push(wrong.stdout, wrong.stderr)
    expect(wrong.stderr).toMatch(/Sending stopped: .*535/)
    const ledgerPath = join(root, '.newsletter/sends.sqlite')
    for (const format of ['text', 'json', 'csv']) {
      const io = collect()
      await reportCommand.run({ ledger: ledgerPath, format }, ['2026-11'], io, root)
      outputs.push(io.stdout, io.stderr)
    }
    outputs.push((await readFile(ledgerPath)).toString('latin1'))
    const all = outputs.join('\n')
    expect(all).toContain('smtp://it-news@127.0.0.1')
    expect(all).toContain('550 Mailbox unavailable')
    for (const form of [password, encodeURIComponent(password), 'S3cr3t']) expect(all).not.toContain(form)
  })

  it('stops at the daily cap with a warning first, leaving the rest pending for the next run', async () => {
    const root = await project({ send: `${fast}  relay: google-workspace-relay\n  daily_limit: 2\n` })
    const server = await sink()
    const list = await csv(root, ['ann@example.com,Ann,IT', 'bo@example.com,Bo,IT', 'cy@example.com,Cy,IT'])
    const { code, io } = await send(root, server.port, { recipients: list })
    expect(code).toBe(1)
    expect(io.stderr).toMatch(/^warning: 3 messages to send but the daily cap allows 2 more today \(2 a day, send\.daily_limit in content\/settings\.yml\)/m)
    expect(io.stderr).toMatch(/2 sent, 0 failed, 1 pending of 3/)
    expect(io.stderr).toMatch(/The daily cap was reached/)
    expect(server.accepted).toHaveLength(2)
    const rerun = await send(root, server.port, { recipients: list })
    expect(rerun.code).toBe(1)
    expect(rerun.io.stderr).toMatch(/0 sent, 0 failed, 1 pending of 1/)
    expect(server.accepted).toHaveLength(2)
  })

  it('paces to the relay preset and signs with DKIM when a key is configured', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
    const root = await project({ send: `${fast}  relay: amazon-ses-sandbox\n  dkim: { domain: example.com, selector: news, key_file: dkim.pem }\n` })
    await writeFile(join(root, 'dkim.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }))
    const server = await sink()
    const started = performance.now()
    const { code } = await send(root, server.port, { recipients: await csv(root, ['ann@example.com,Ann,IT', 'bo@example.com,Bo,IT', 'cy@example.com,Cy,IT']) })
    expect(code).toBe(0)
    // The SES sandbox allows one message a second: three starts take at least two seconds.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2000)
    const signature = server.messages[0]!.headerLines.find(({ key }) => key === 'dkim-signature')?.line.replace(/\r\n\s+/g, ' ')
    expect(signature).toMatch(/d=example\.com;/)
    expect(signature).toMatch(/s=news;/)
  })

  it('refuses without --yes when nobody is at a terminal to confirm', async () => {
    const root = await project({ send: fast })
    const server = await sink()
    const io = collect()
    const refused = await runSend({ recipients: await csv(root, ['ann@example.com,Ann,IT']) }, ['2026-11'], io, {
      root,
      env: { SMTP_URL: `smtp://127.0.0.1:${server.port}` },
      tty: false,
    }).catch((caught: unknown) => caught)
    expect(refused).toMatchObject({
      code: 'refused',
      message: expect.stringMatching(/to 1 recipient via smtp:\/\/127\.0\.0\.1:\d+: refused without --yes when not at a terminal$/),
      hint: 'Check with --dry-run, then add --yes',
    })
    expect(server.attempts).toHaveLength(0)
  })

  it('asks on a terminal and sends nothing when the answer is no', async () => {
    const root = await project({ send: fast })
    const server = await sink()
    const questions: string[] = []
    const io = collect()
    const code = await runSend({ recipients: await csv(root, ['ann@example.com,Ann,IT']) }, ['2026-11'], io, {
      root,
      env: { SMTP_URL: `smtp://127.0.0.1:${server.port}` },
      tty: true,
      confirm: async (question) => (questions.push(question), false),
    })
    expect(code).toBe(2)
    expect(questions).toEqual([
      expect.stringMatching(/^Send issue 2026-11 \("November: Windows restarts and QR-code phishing"\) to 1 recipient via smtp:\/\/127\.0\.0\.1:\d+\?$/),
    ])
    expect(io.stderr).toBe('Nothing was sent.\n')
    expect(server.attempts).toHaveLength(0)
  })

  it('writes .eml files to dist/outbox/<slug>/ without SMTP_URL, with the same ledger and report', async () => {
    const root = await project({ send: fast })
    const io = collect()
    const code = await runSend({ yes: true, recipients: await csv(root, ['ann@example.com,Ann Lee,IT', 'bo@example.com,Bo,IT']) }, ['2026-11'], io, {
      root,
      env: {},
      tty: false,
    })
    expect(code).toBe(0)
    expect(io.stdout).toMatch(/2 sent, 0 failed, 0 pending of 2 .* via outbox .*dist\/outbox\/2026-11\//)
    const eml = await readFile(join(root, 'dist/outbox/2026-11/ann@example.com.eml'), 'utf8')
    expect(eml).toMatch(/^To: Ann Lee <ann@example\.com>$/m)
    expect(eml).toMatch(/^Content-Type: multipart\/alternative;/m)
    const report = collect()
    expect(await reportCommand.run({ ledger: join(root, '.newsletter/sends.sqlite'), format: 'text' }, ['2026-11'], report, root)).toBe(0)
    expect(report.stdout).toBe('2026-11 to outbox (a trial: .eml files, nobody was mailed): 2 sent, 0 failed, 0 pending, 0 in doubt (of 2)\n')
  })

  it('stops the run when the outbox cannot be written, leaving everyone pending', async () => {
    const root = await project({ send: fast })
    await mkdir(join(root, 'dist/outbox'), { recursive: true })
    await writeFile(join(root, 'dist/outbox/2026-11'), 'a file where the folder should be')
    const io = collect()
    const code = await runSend({ yes: true, recipients: await csv(root, ['ann@example.com,Ann,IT', 'bo@example.com,Bo,IT']) }, ['2026-11'], io, {
      root,
      env: {},
      tty: false,
      progressEvery: 60_000,
    })
    expect(code).toBe(1)
    expect(io.stderr).toMatch(/0 sent, 0 failed, 2 pending of 2/)
    expect(io.stderr).toMatch(/Sending stopped: cannot write .*dist\/outbox\/2026-11\/\w+@example\.com\.eml: ENOTDIR/)
    const ledger = new Ledger(join(root, '.newsletter/sends.sqlite'))
    expect(ledger.counts('2026-11', 'outbox')).toMatchObject({ pending: 2, inDoubt: 0 })
    ledger.close()
  })

  it('refuses a {{field}} the CSV has no column for, pointing at it in the issue', async () => {
    const root = await project({ send: fast, edit: (text) => text.replace('## Thank you', 'Your desk: {{desk}}.\n\n## Thank you') })
    const server = await sink()
    const text = await readFile(join(root, 'content/issues/2026-11.md'), 'utf8')
    const line = text.split('\n').findIndex((l) => l.startsWith('Your desk:')) + 1
    const list = await csv(root, ['ann@example.com,Ann,IT'])
    const refused = await send(root, server.port, { recipients: list }).catch((caught: unknown) => caught)
    expect(refused).toMatchObject({
      code: 'refused',
      message: `\`{{desk}}\` has no column in ${list} (columns: email, name, department)`,
      where: { file: expect.stringMatching(/content\/issues\/2026-11\.md$/), line, column: 12 },
      hint: 'Add a `desk` column to the CSV, or give a fallback: {{desk|everyone}}',
    })
    expect(server.attempts).toHaveLength(0)

    // With a fallback it goes out, filled with the fallback.
    await writeFile(
      join(root, 'content/issues/2026-11.md'),
      approveText(text.replace('{{desk}}', '{{desk|ask reception}}'), { by: 'Test Approver', at: '2026-11-02T09:00' }),
    )
    const { code } = await send(root, server.port, { recipients: list })
    expect(code).toBe(0)
    expect(server.messages[0]!.text).toContain('Your desk: ask reception.')
  })
})
