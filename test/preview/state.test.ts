import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PreviewState } from '../../src/preview/state.ts'
import { sampleContent } from '../helpers/render.ts'

let root: string
let state: PreviewState

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsletter-state-'))
  await cp(sampleContent, join(root, 'content'), { recursive: true })
  await cp('layouts', join(root, 'layouts'), { recursive: true })
  state = new PreviewState(root)
  await state.refresh()
})

afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

async function edit(path: string, change: (text: string) => string): Promise<void> {
  const file = join(root, path)
  await writeFile(file, change(await readFile(file, 'utf8')))
}

describe('PreviewState', () => {
  it('renders nothing on its first read, then every document in the background, and counts the checks once they ran', async () => {
    await edit('content/issues/2026-11.md', (text) => text.replace('## Thank you', 'Watch out for tailgating this month.\n\n## Thank you'))
    await edit('content/glossary.yml', (text) => text.replace('terms:\n', 'terms:\n  tailgating: { use: "following someone through a locked door" }\n'))
    const fresh = new PreviewState(root)
    await fresh.refresh()
    const counts = () => fresh.list().map(({ key, checked, warnings }) => `${key}: ${checked ? `${warnings} warnings` : 'checking'}`)
    expect(counts()).toEqual(['issues/2026-11: checking', 'issues/2026-10: checking', 'issues/2026-09: checking', 'notices/2026-10-14-vpn-outage: checking'])
    const stopped = new AbortController()
    stopped.abort()
    await expect(fresh.renderRest(stopped.signal)).resolves.toEqual([])
    await expect(fresh.renderRest(new AbortController().signal)).resolves.toEqual([
      'issues/2026-09',
      'issues/2026-10',
      'issues/2026-11',
      'notices/2026-10-14-vpn-outage',
    ])
    expect(counts()).toEqual([
      'issues/2026-11: 2 warnings',
      'issues/2026-10: 0 warnings',
      'issues/2026-09: 0 warnings',
      'notices/2026-10-14-vpn-outage: 0 warnings',
    ])
    await expect(fresh.renderRest(new AbortController().signal)).resolves.toEqual([])
  })

  it('re-renders only the document whose file changed', async () => {
    const october = await state.view('issues/2026-10')
    const november = await state.view('issues/2026-11')
    await edit('content/issues/2026-11.md', (text) => text.replace('## ', 'A sentence added in the preview test.\n\n## '))
    await expect(state.refresh()).resolves.toEqual({ all: false, keys: ['issues/2026-11'] })
    expect((await state.view('issues/2026-10'))!.email).toBe(october!.email)
    const after = (await state.view('issues/2026-11'))!.email!
    expect(after).not.toBe(november!.email)
    expect(after.html).toContain('A sentence added in the preview test.')
    await expect(state.refresh()).resolves.toEqual({ all: false, keys: [] })
  })

  it('shows the writing checks, and follows the glossary when it changes', async () => {
    const jargon = (messages: { rule: string }[]) => messages.filter((message) => message.rule === 'plain/jargon')
    await edit('content/issues/2026-11.md', (text) => text.replace('## Thank you', 'Watch out for tailgating this month.\n\n## Thank you'))
    await edit('content/glossary.yml', (text) => text.replace('terms:\n', 'terms:\n  tailgating: { use: "following someone through a locked door" }\n'))
    await expect(state.refresh()).resolves.toMatchObject({ all: true })
    expect(jargon((await state.view('issues/2026-11'))!.messages)).toEqual([
      expect.objectContaining({ message: '`tailgating` is IT jargon: say following someone through a locked door' }),
    ])
    await edit('content/issues/2026-11.md', (text) => text.replace('this month.', 'this month, please.'))
    await expect(state.refresh()).resolves.toEqual({ all: false, keys: ['issues/2026-11'] })
    expect(jargon((await state.view('issues/2026-11'))!.messages)).toHaveLength(1)
    await edit('content/glossary.yml', (text) => text.replace('  tailgating: { use: "following someone through a locked door" }\n', ''))
    await expect(state.refresh()).resolves.toMatchObject({ all: true })
    expect(jargon((await state.view('issues/2026-11'))!.messages)).toEqual([])
  })

  it('re-renders everything after a layout change, without repeating any message', async () => {
    await edit('content/issues/2026-11.md', (text) => text.replace('issue: 14', 'issue: 13'))
    await state.refresh()
    const before = (await state.view('issues/2026-11'))!
    // The preview says what `check` says: the issue was approved, and changed since.
    expect(before.messages.map((m) => `${m.file}:${m.line}:${m.column}: ${m.message}`)).toEqual([
      'content/issues/2026-11.md:3:8: Issue number 13 is already used by content/issues/2026-10.md',
      'content/issues/2026-11.md:8:18: Changed since approval by Dana Whitfield at 2026-12-02T11:54: `issue` changed; until it is approved again, `send` refuses it and `build` publishes only what was approved',
    ])
    await edit('layouts/email/footer.mjml', (text) => text.replace('Was this useful?', 'Did this help?'))
    await expect(state.refresh()).resolves.toEqual({ all: true, keys: [] })
    const after = (await state.view('issues/2026-11'))!
    expect(after.email!.html).toContain('Did this help?')
    expect(after.messages).toEqual(before.messages)
  })

  it('reports a broken layout at its line in place of the email, and recovers', async () => {
    await edit('layouts/email/notice.mjml', (text) => text.replace('<mj-text>', '<mj-text colour="red">'))
    await state.refresh()
    const broken = (await state.view('notices/2026-10-14-vpn-outage'))!
    expect(broken.email).toBeUndefined()
    expect(broken.messages.map((m) => `${m.file}:${m.line}:${m.column}: ${m.severity}`)).toEqual(['layouts/email/notice.mjml:7:1: error'])
    expect(broken.messages[0]!.message).toContain('colour')
    expect(state.list().find((doc) => doc.key === 'notices/2026-10-14-vpn-outage')).toMatchObject({ errors: 1, warnings: 0 })
    await edit('layouts/email/notice.mjml', (text) => text.replace('<mj-text colour="red">', '<mj-text>'))
    await state.refresh()
    expect((await state.view('notices/2026-10-14-vpn-outage'))!.email!.html).toContain('VPN: working again')
  })

  it('renders the archive page with the site layouts, and reports a broken one without losing the email', async () => {
    const good = (await state.view('issues/2026-11'))!
    expect(good.archive).toContain('<h1')
    expect(good.archive).toContain('November: Windows restarts and QR-code phishing')
    await edit('layouts/site/issue.liquid', (text) => text.replace('{{ issue.threat.name }}', '{{ issue.threat.name | no_such_filter }}'))
    await expect(state.refresh()).resolves.toMatchObject({ all: true })
    const broken = (await state.view('issues/2026-11'))!
    expect(broken.archive).toBeUndefined()
    expect(broken.email!.html).toContain('November: Windows restarts and QR-code phishing')
    expect(broken.messages.map((m) => `${m.file}:${m.line}:${m.column}: ${m.severity} (${m.rule})`)).toEqual([
      'layouts/site/issue.liquid:13:19: error (layout/site)',
    ])
  })

  it('shows a settings error on every document until it is fixed', async () => {
    await edit('content/settings.yml', (text) => text.replace('archive_url: https://', 'archive_url: ftp://'))
    await expect(state.refresh()).resolves.toMatchObject({ all: true })
    for (const { key } of state.list()) {
      const view = (await state.view(key))!
      expect(view.email).toBeUndefined()
      expect(view.messages.map((m) => `${m.file}:${m.line}:${m.column}: ${m.rule}`)).toEqual(['content/settings.yml:10:14: settings/archive_url'])
    }
    await edit('content/settings.yml', (text) => text.replace('archive_url: ftp://', 'archive_url: https://'))
    await state.refresh()
    expect((await state.view('issues/2026-09'))!.email).toBeDefined()
  })

  it('follows files being added and removed, and knows only the documents it loaded', async () => {
    await unlink(join(root, 'content/issues/2026-09.md'))
    await writeFile(
      join(root, 'content/notices/2026-11-02-wifi.md'),
      '---\ntitle: Wi-Fi\ndate: 2026-11-02\nsummary: Slow.\nservice: Wi-Fi\nstate: identified\nimpact: Slow.\n---\n',
    )
    // Links between issues are checked against the set of pages, so adding or removing one touches every document;
    // 2026-10 also lost the issue its projects are compared with (sense/project-slip).
    await expect(state.refresh()).resolves.toEqual({ all: true, keys: ['issues/2026-09', 'issues/2026-10', 'notices/2026-11-02-wifi'] })
    await expect(state.view('issues/2026-09')).resolves.toBeUndefined()
    await expect(state.view('issues/../settings')).resolves.toBeUndefined()
    const added = (await state.view('notices/2026-11-02-wifi'))!
    expect(added).toMatchObject({ status: 'draft', title: 'Wi-Fi', errors: 0 })
    expect(added.email!.text).toContain('Wi-Fi')
  })
})
