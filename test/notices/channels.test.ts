import { appendFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parseMarkdown } from '../../src/markdown/parse.ts'
import { postToChannels, slackPayload, teamsPayload, type ChannelPost, type PostRecord } from '../../src/send/channels.ts'
import { visit } from 'unist-util-visit'
import { mainIn, tempProject } from '../helpers/project.ts'

interface Hit {
  path: string
  at: number
  body: any
}

let server: Server
let base: string
let hits: Hit[] = []
const busy = new Map<string, number>()

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      const path = request.url ?? ''
      hits.push({ path, at: Date.now(), body: JSON.parse(body) })
      if (path.startsWith('/teams')) return response.writeHead(202).end()
      if (path.startsWith('/slack')) return response.writeHead(200).end('ok')
      if (path.startsWith('/busy')) {
        const seen = (busy.get(path) ?? 0) + 1
        busy.set(path, seen)
        if (seen === 1) return response.writeHead(429, { 'retry-after': '1' }).end('slow down')
        return response.writeHead(200).end('ok')
      }
      if (path.startsWith('/bad')) return response.writeHead(400).end('invalid_blocks')
      response.writeHead(500).end('boom')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

afterEach(() => {
  hits = []
})

function memoryRecord(): PostRecord & { rows: string[] } {
  const rows: string[] = []
  return {
    rows,
    posted: (slug, revision, channel) => rows.includes(`${slug}#${revision}#${channel}`),
    recordPosted: (slug, revision, channel) => void rows.push(`${slug}#${revision}#${channel}`),
  }
}

const post: ChannelPost = {
  slug: 'vpn',
  revision: 2,
  title: 'VPN: people at home cannot connect',
  kicker: 'Service notice',
  stateLabel: 'Cause identified',
  service: 'VPN',
  latest: { label: '14 October 2026, 09:10 · Cause identified', text: 'A failed firmware update <!channel>; rolling back.' },
  nextUpdateLabel: '14 October 2026, 10:00',
  url: 'https://intranet.example.com/it-news/notices/vpn/',
}

describe('posting to Teams and Slack', () => {
  it('posts an Adaptive Card to Teams and Block Kit to Slack, once per revision', async () => {
    const record = memoryRecord()
    const channels = [
      { kind: 'teams' as const, webhook_env: 'TEAMS_URL' },
      { kind: 'slack' as const, webhook_env: 'SLACK_URL' },
    ]
    const env = { TEAMS_URL: `${base}/teams/secret-1`, SLACK_URL: `${base}/slack/secret-2` }
    expect(await postToChannels(post, channels, env, record)).toEqual([
      { channel: 'teams:TEAMS_URL', outcome: 'posted', attempts: 1, reason: undefined },
      { channel: 'slack:SLACK_URL', outcome: 'posted', attempts: 1, reason: undefined },
    ])
    const [teams, slack] = hits
    expect(teams!.body).toMatchObject({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: { type: 'AdaptiveCard', version: '1.4' } }],
    })
    const card = teams!.body.attachments[0].content
    // Teams reads TextBlocks as Markdown: the `<` and `!` of the update are escaped so they stay text.
    const latest = 'A failed firmware update \\<\\!channel\\>; rolling back.'
    expect(card.body.map((block: any) => block.text ?? block.type)).toEqual(['Service notice', post.title, 'FactSet', post.latest.label, latest])
    expect(card.body[2].facts).toEqual([
      { title: 'State', value: 'Cause identified' },
      { title: 'Service', value: 'VPN' },
      { title: 'Next update', value: '14 October 2026, 10:00' },
    ])
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Read it on the archive', url: post.url }])
    expect(slack!.body.text).toBe('[Cause identified] VPN: people at home cannot connect')
    expect(slack!.body.blocks.map((block: any) => block.type)).toEqual(['header', 'section', 'section', 'actions', 'context'])
    expect(slack!.body.blocks[0].text).toEqual({ type: 'plain_text', text: post.title, emoji: false })
    expect(slack!.body.blocks[2].text.text).toBe('*14 October 2026, 09:10 · Cause identified*\nA failed firmware update &lt;!channel&gt;; rolling back.')
    expect(slack!.body.blocks[3].elements[0].url).toBe(post.url)
    expect(record.rows).toEqual(['vpn#2#teams:TEAMS_URL', 'vpn#2#slack:SLACK_URL'])

    hits = []
    expect((await postToChannels(post, channels, env, record)).map((r) => r.outcome)).toEqual(['already-posted', 'already-posted'])
    expect(hits).toEqual([])
    expect((await postToChannels({ ...post, revision: 3 }, channels, env, record)).map((r) => r.outcome)).toEqual(['posted', 'posted'])
  })

  it('waits as long as Retry-After says after a 429, then posts', async () => {
    const result = await postToChannels(post, [{ kind: 'slack', webhook_env: 'S' }], { S: `${base}/busy/a` }, memoryRecord(), { retryDelay: 10 })
    expect(result).toEqual([{ channel: 'slack:S', outcome: 'posted', attempts: 2, reason: undefined }])
    expect(hits).toHaveLength(2)
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(950)
  })

  it('retries a 500 a bounded number of times, then reports it without the URL and records nothing', async () => {
    const record = memoryRecord()
    const url = `${base}/down/very-secret-token`
    const [result] = await postToChannels(post, [{ kind: 'teams', webhook_env: 'T' }], { T: url }, record, { attempts: 3, retryDelay: 10 })
    expect(result).toEqual({ channel: 'teams:T', outcome: 'failed', attempts: 3, reason: 'HTTP 500: boom (gave up after 3 attempts)' })
    expect(hits).toHaveLength(3)
    expect(record.rows).toEqual([])
  })

  it('reports a missing variable and a refused connection, never the URL, and never throws', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/hook/very-secret-token`
    await new Promise((resolve) => closed.close(resolve))
    const results = await postToChannels(
      post,
      [
        { kind: 'teams', webhook_env: 'NOPE' },
        { kind: 'slack', webhook_env: 'GONE' },
      ],
      { GONE: url },
      memoryRecord(),
      { attempts: 2, retryDelay: 10 },
    )
    expect(results).toEqual([
      { channel: 'teams:NOPE', outcome: 'failed', attempts: 0, reason: 'NOPE is not set in the environment' },
      { channel: 'slack:GONE', outcome: 'failed', attempts: 2, reason: 'could not connect (ECONNREFUSED) (gave up after 2 attempts)' },
    ])
    expect(JSON.stringify(results)).not.toContain('very-secret-token')
  })
})

describe('webhook safety', () => {
  /** A local server answering every request with `answer`; it keeps what it received. */
  async function serve(answer: (request: IncomingMessage, response: ServerResponse) => void) {
    const received: string[] = []
    const local = createServer((request, response) => {
      received.push(`${request.method} ${request.url}`)
      request.resume()
      request.on('end', () => answer(request, response))
    })
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(local.address() as AddressInfo).port}`
    return { url, received, close: () => new Promise((resolve) => local.close(resolve)) }
  }

  it('never follows a redirect: a 307 is a failure naming the status, not retried, and the target receives nothing', async () => {
    const target = await serve((_request, response) => response.writeHead(200).end('ok'))
    const redirecting = await serve((_request, response) => response.writeHead(307, { location: `${target.url}/steal` }).end())
    try {
      const record = memoryRecord()
      const [result] = await postToChannels(post, [{ kind: 'slack', webhook_env: 'S' }], { S: `${redirecting.url}/hook/abc` }, record, {
        attempts: 4,
        retryDelay: 10,
      })
      expect(result).toEqual({
        channel: 'slack:S',
        outcome: 'failed',
        attempts: 1,
        reason: 'HTTP 307: the webhook answered with a redirect, which is never followed; check the webhook URL',
      })
      expect(redirecting.received).toEqual(['POST /hook/abc'])
      expect(target.received).toEqual([])
      expect(record.rows).toEqual([])
    } finally {
      await Promise.all([target.close(), redirecting.close()])
    }
  })

  it('prints no part of the webhook URL a reply echoes: host, path segments or query values', async () => {
    const echo = await serve((request, response) =>
      response.writeHead(500).end(`no flow ${request.url} on ${request.headers.host}, sig ${decodeURIComponent(request.url!.split('sig=')[1]!)}`),
    )
    try {
      const url = `${echo.url}/workflows/flow-7f3a9c/triggers/manual?api-version=2016-06-01&sig=s3cr%2Fet-Sig`
      const [result] = await postToChannels(post, [{ kind: 'teams', webhook_env: 'T' }], { T: url }, memoryRecord(), { attempts: 2, retryDelay: 10 })
      expect(result!.outcome).toBe('failed')
      expect(result!.reason).toMatch(/^HTTP 500: no flow /)
      for (const part of [
        '127.0.0.1',
        new URL(echo.url).port,
        'workflows',
        'flow-7f3a9c',
        'triggers',
        'manual',
        '2016-06-01',
        's3cr%2Fet-Sig',
        's3cr/et-Sig',
      ]) {
        expect(result!.reason, part).not.toContain(part)
      }
    } finally {
      await echo.close()
    }
  })
})

describe('channel text is text', () => {
  const hostile: ChannelPost = {
    ...post,
    title: '**Urgent** [Reset your password](https://evil.example/login) ![x](https://evil.example/i.png) <!channel> <https://evil.example|click>',
    stateLabel: '_Cause_ `identified` & <b>',
    service: '[VPN](http://evil.example) www.evil.example a@evil.example',
    latest: { label: '# 14 October ~~2026~~', text: '\\[label\\](https://evil.example) evil.example/path - 1. *x* <@U123> &amp;' },
    nextUpdateLabel: '- 10:00 [soon](javascript:alert(1))',
  }

  /** Every string in a JSON value, with its path. */
  function strings(value: unknown, path = ''): [string, string][] {
    if (typeof value === 'string') return [[path, value]]
    if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => strings(item, `${path}.${key}`))
    return []
  }

  it('escapes &, < and > in every Slack field, the notification text included', () => {
    const fields = strings(slackPayload(hostile)).filter(([path]) => !path.endsWith('.url'))
    expect(fields.map(([path]) => path)).toContain('.text')
    for (const [path, text] of fields) {
      expect(text, path).not.toMatch(/[<>]/)
      expect(text, path).not.toMatch(/&(?!(amp|lt|gt);)/)
    }
    expect(strings(slackPayload(hostile)).filter(([path]) => path.endsWith('.url'))).toEqual([['.blocks.3.elements.0.url', post.url]])
  })

  it('lets no Teams text form a link, an image, emphasis, code or a list: only the archive action is a link', () => {
    const card = (teamsPayload(hostile) as { attachments: { content: unknown }[] }).attachments[0]!.content
    const texts = strings(card).filter(([path]) => /\.(text|value|title)$/.test(path) && !path.startsWith('.actions'))
    expect(texts.length).toBeGreaterThanOrEqual(8)
    for (const [path, text] of texts) {
      const kinds = new Set<string>()
      visit(parseMarkdown(text), (node) => void kinds.add(node.type))
      expect([...kinds].sort(), `${path}: ${text}`).toEqual(['paragraph', 'root', 'text'].filter((kind) => kind !== 'paragraph' || text !== ''))
    }
    expect(strings(card).filter(([path]) => path.endsWith('.url'))).toEqual([['.actions.0.url', post.url]])
  })
})

describe('newsletter post', () => {
  let project: string
  const saved = { ...process.env }

  beforeAll(async () => {
    project = tempProject()
    await appendFile(
      join(project, 'content/settings.yml'),
      'channels:\n  - { kind: teams, webhook_env: IT_TEAMS_HOOK }\n  - { kind: slack, webhook_env: IT_SLACK_HOOK }\n',
    )
  })

  afterAll(async () => {
    process.env = saved
    await rm(project, { recursive: true, force: true })
  })

  const run = (...argv: string[]) => mainIn(project, argv)

  it('posts an approved notice to every channel once, prints no URL, and says which channel failed', async () => {
    process.env.IT_TEAMS_HOOK = `${base}/teams/tok-abc123`
    process.env.IT_SLACK_HOOK = `${base}/bad/tok-def456`
    const first = await run('post', '2026-10-14-vpn-outage')
    expect(first).toEqual({
      code: 1,
      out: 'teams:IT_TEAMS_HOOK: 2026-10-14-vpn-outage revision 3 posted (1 attempt)\n1 of 2 channels have revision 3 of 2026-10-14-vpn-outage (.newsletter/sends.sqlite).',
      err: 'slack:IT_SLACK_HOOK: 2026-10-14-vpn-outage revision 3 failed: HTTP 400: invalid_blocks',
    })
    expect(hits[0]!.body.attachments[0].content.body[1].text).toBe('VPN: working again')

    process.env.IT_SLACK_HOOK = `${base}/slack/tok-def456`
    const second = await run('post', '2026-10-14-vpn-outage')
    expect(second.code).toBe(0)
    expect(second.out).toBe(
      'teams:IT_TEAMS_HOOK: 2026-10-14-vpn-outage revision 3 already posted, not again\nslack:IT_SLACK_HOOK: 2026-10-14-vpn-outage revision 3 posted (1 attempt)\n2 of 2 channels have revision 3 of 2026-10-14-vpn-outage (.newsletter/sends.sqlite).',
    )
    expect(`${first.out}${first.err}${second.out}${second.err}`).not.toContain('tok-')
    expect(hits.map((hit) => hit.path)).toEqual(['/teams/tok-abc123', '/bad/tok-def456', '/slack/tok-def456'])
  })

  it('refuses a notice that is not approved, pointing at its status', async () => {
    await writeFile(
      join(project, 'content/notices/2026-12-01-wifi.md'),
      '---\ntitle: Wi-Fi down\ndate: 2026-12-01\nstatus: review\nsummary: S\nservice: Wi-Fi\nstate: investigating\nimpact: I\n---\n',
    )
    expect(await run('post', '2026-12-01-wifi')).toEqual({
      code: 2,
      out: '',
      err: 'content/notices/2026-12-01-wifi.md:4:9: error: 2026-12-01-wifi is not approved (status: review); only approved issues and notices go out\n  Have it approved: newsletter approve 2026-12-01-wifi --by "Your Name" (or send a test with --to)',
    })
    expect(hits).toEqual([])
  })
})
