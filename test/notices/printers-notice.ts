import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { approveText } from '../../src/content/approval.ts'
import { removeProject, repo, startSink, type Sink } from '../send/helpers.ts'
import { sampleContent } from '../helpers/render.ts'

/** The slug of the notice the send tests take from investigating to resolved. */
export const slug = '2026-12-01-printers'

// Its first revision, as a draft.
const notice = `---
title: "Printers: nobody can print"
date: 2026-12-01
status: draft
summary: Nobody can print; we are on it.
service: Printing
state: investigating
impact: Nobody can print on any floor.
updates:
  - time: 2026-12-01T09:00
    state: investigating
    text: We are looking into it.
---

## What happened

Not known yet.
`

/** The printers project with a real SMTP sink and a local Slack webhook, and the environment that points at both. */
export interface PrintersRun {
  root: string
  sink: Sink
  env: Record<string, string>
  close(): Promise<void>
}

/**
 * Start {@link printersProject}, an SMTP sink and a webhook server on 127.0.0.1 that hands each post's path and body
 * to `answer`, which must end the response (at once, or later to play a slow channel).
 */
export async function startPrinters(answer: (post: { path: string; body: string }, response: ServerResponse) => void): Promise<PrintersRun> {
  const root = await printersProject()
  const sink = await startSink()
  const hook = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk))
    request.on('end', () => answer({ path: request.url ?? '', body }, response))
  })
  await new Promise<void>((done) => hook.listen(0, '127.0.0.1', done))
  const env = { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, IT_SLACK_HOOK: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook/secret-token` }
  return {
    root,
    sink,
    env,
    async close() {
      await sink.close()
      await new Promise((done) => hook.close(done))
      await removeProject(root)
    },
  }
}

/**
 * A throwaway project holding only the notice, approved at revision 1, with settings that post to one Slack channel
 * (`IT_SLACK_HOOK`), a two-person staff.csv and the real layouts.
 */
async function printersProject(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'newsletter-revisions-'))
  await mkdir(join(root, 'content/notices'), { recursive: true })
  const settings = (await readFile(join(sampleContent, 'settings.yml'), 'utf8')).replace(/^send:[\s\S]*$/m, '')
  await writeFile(
    join(root, 'content/settings.yml'),
    `${settings}send:\n  allowed_domains: [example.com]\n  require_tls: false\nchannels:\n  - { kind: slack, webhook_env: IT_SLACK_HOOK }\n`,
  )
  await writeFile(join(root, 'content/notices', `${slug}.md`), approveText(notice, { by: 'On-call', at: '2026-12-01T09:05' }))
  await writeFile(join(root, 'staff.csv'), 'email,name\nana@example.com,Ana\nbo@example.com,Bo\n')
  await symlink(join(repo, 'layouts'), join(root, 'layouts'))
  return root
}
