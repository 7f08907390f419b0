import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import ICAL from 'ical.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approveText } from '../../src/content/approval.ts'
import { failed, runPipeline } from '../../src/project/pipeline.ts'
import { loadProject } from '../../src/project/project.ts'
import { tempProject } from '../helpers/project.ts'
import { brokenLinks, writeSite } from './fixture.ts'

// Approved as `newsletter approve` does: the build publishes a notice only as it was approved.
const approved = (text: string) => approveText(text, { by: 'Dana Whitfield', at: '2026-12-01T08:00' })

const incident = (state: string, extra = '') =>
  approved(`---
title: "Printers: nobody can print"
date: 2026-12-01
status: approved
summary: "Printing is down on every floor."
service: Printing
state: ${state}
impact: "Nobody can print."
${extra}updates:
  - time: 2026-12-01T09:00
    state: investigating
    text: "We are looking into it."
  - time: 2026-12-01T09:40
    state: identified
    text: "A driver update broke the print server; rolling it back."
---
`)

const maintenance = (state: string) =>
  approved(`---
title: "Email: planned maintenance"
date: 2026-12-02
status: approved
summary: "Email is unavailable on Saturday night."
kind: maintenance
service: Email
state: ${state}
window: { start: 2026-12-05T22:00, end: 2026-12-06T02:00 }
impact: "No email."
updates:
  - time: 2026-12-02T10:00
    state: scheduled
    text: "We will upgrade the mail servers."
---
`)

let root: string
let dir: string
const read = (path: string) => readFile(join(dir, path), 'utf8')

async function build(): Promise<void> {
  const project = await loadProject(root)
  const pipeline = await runPipeline(project, { drafts: false })
  if (failed(pipeline)) throw new Error(pipeline.files.flatMap((file) => file.messages.map(String)).join('\n'))
  dir = (await writeSite(pipeline, project.config!)).dir
}

beforeAll(async () => {
  root = tempProject()
  await writeFile(join(root, 'content/settings.yml'), `${await readFile(join(root, 'content/settings.yml'), 'utf8')}timezone: Europe/London\n`)
  await writeFile(join(root, 'content/notices/2026-12-01-printers.md'), incident('identified', 'next_update: 2026-12-01T10:30\n'))
  await writeFile(join(root, 'content/notices/2026-12-05-email.md'), maintenance('scheduled'))
  await build()
}, 120_000)

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('service status on the archive', () => {
  it('lists open notices in /status.json, the resolved VPN left out', async () => {
    expect(JSON.parse(await read('status.json'))).toEqual([
      {
        slug: '2026-12-01-printers',
        title: 'Printers: nobody can print',
        kind: 'incident',
        state: 'identified',
        service: 'Printing',
        updated: '2026-12-01T09:40:00.000Z',
        next_update: '2026-12-01T10:30:00.000Z',
        url: 'https://intranet.example.com/it-news/notices/2026-12-01-printers/',
      },
      {
        slug: '2026-12-05-email',
        title: 'Email: planned maintenance',
        kind: 'maintenance',
        state: 'scheduled',
        service: 'Email',
        updated: '2026-12-02T10:00:00.000Z',
        next_update: null,
        url: 'https://intranet.example.com/it-news/notices/2026-12-05-email/',
      },
    ])
  })

  it('shows the open incident with its latest update on /status/, and the maintenance under planned work', async () => {
    const html = await read('status/index.html')
    const open = html.slice(0, html.indexOf('Planned maintenance'))
    const planned = html.slice(html.indexOf('Planned maintenance'))
    expect(open).toContain('<a href="/it-news/notices/2026-12-01-printers/">Printers: nobody can print</a>')
    expect(open).toContain('A driver update broke the print server; rolling it back.')
    expect(open).toContain('<strong>Next update:</strong> 1 December 2026, 10:30')
    expect(open).not.toContain('We are looking into it.')
    expect(open).not.toContain('VPN')
    expect(planned).toContain('<a href="/it-news/notices/2026-12-05-email/">Email: planned maintenance</a>')
    expect(planned).toContain('5 December 2026, 22:00 to 6 December 2026, 02:00')
  })

  it('puts a banner on the home page naming the open incident', async () => {
    const html = await read('index.html')
    expect(html).toMatch(/<aside class="banner status-banner" aria-labelledby="status-now">\s*<h2 id="status-now">A service is affected now<\/h2>/)
    expect(html).toContain('<a href="/it-news/notices/2026-12-01-printers/">Printers: nobody can print</a> · Cause identified, updated 1 December 2026, 09:40')
  })

  it('links the maintenance page to its calendar file, made by the same noticeCalendar the email will carry', async () => {
    const page = await read('notices/2026-12-05-email/index.html')
    expect(page).toContain('<a href="/it-news/notices/2026-12-05-email/2026-12-05-email.ics" type="text/calendar">Add to your calendar</a>')
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(await read('notices/2026-12-05-email/2026-12-05-email.ics'))).getFirstSubcomponent('vevent')!)
    expect(event.uid).toBe('notice-2026-12-05-email@intranet.example.com')
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-05T22:00:00.000Z')
    expect(await brokenLinks(dir, 'https://intranet.example.com/it-news/')).toEqual([])
  })

  it('gives each revision its own feed entry with a stable id', async () => {
    const feed = await read('feed.xml')
    expect(feed).toContain('<id>https://intranet.example.com/it-news/notices/2026-12-01-printers/#update-2</id>')
    expect(feed).toContain('<title>[Cause identified] Printers: nobody can print</title>')
    expect(feed).toContain('<id>https://intranet.example.com/it-news/notices/2026-12-01-printers/#update-1</id>')
  })

  it('clears the status, the banner and status.json once the incident is resolved and the work completed', async () => {
    await writeFile(join(root, 'content/notices/2026-12-01-printers.md'), incident('resolved'))
    await writeFile(join(root, 'content/notices/2026-12-05-email.md'), maintenance('completed'))
    await build()
    expect(JSON.parse(await read('status.json'))).toEqual([])
    expect(await read('index.html')).not.toContain('<aside class="banner status-banner"')
    const html = await read('status/index.html')
    expect(html).toContain('All services are working normally: no service notice is open.')
    expect(html).toContain('No maintenance is planned.')
  }, 120_000)
})
