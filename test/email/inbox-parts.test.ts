import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { collectMessages } from '../../src/check/messages.ts'
import { parseDoc, type Kind } from '../../src/content/load.ts'
import { noticeCalendar } from '../../src/email/calendar.ts'
import { renderParts } from '../../src/markdown/parts.ts'
import { gmailSupports, selectorFeatures, selectorsOf } from '../helpers/gmail-selectors.ts'
import { renderEmail, repo, sampleContent, testSettings } from '../helpers/render.ts'

const fixtures = join(repo, 'test/fixtures/email')
// Every sample the tests build: the email fixtures and the sample project's issues and notices.
const samples: { name: string; text: string; kind: Kind }[] = [
  ...readdirSync(fixtures).map((name) => ({
    name,
    text: readFileSync(join(fixtures, name, 'input.md'), 'utf8'),
    kind: (name.startsWith('notice') ? 'notice' : 'issue') as Kind,
  })),
  ...(['issues', 'notices'] as const).flatMap((folder) =>
    readdirSync(join(sampleContent, folder)).map((name) => ({
      name,
      text: readFileSync(join(sampleContent, folder, name), 'utf8'),
      kind: (folder === 'issues' ? 'issue' : 'notice') as Kind,
    })),
  ),
]
const built = Promise.all(samples.map(async (sample) => ({ name: sample.name, ...(await renderEmail(sample.text, sample.kind)) })))

// The <style> blocks a mail app reads: those inside an `<!--[if mso]>` comment are Outlook's alone.
function styleBlocks(html: string): string[] {
  return [...html.replace(/<!--\[if[\s\S]*?<!\[endif\]-->/g, '').matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)].map((match) => match[1]!)
}

describe('Gmail reads every style meant for it', () => {
  it('finds a selector Gmail rejects (the check can fail)', () => {
    expect(selectorFeatures('.prose td:first-child')).toContain('css-pseudo-class-first-child')
    expect(gmailSupports('css-pseudo-class-first-child')).toBe(false)
    expect(selectorFeatures('[data-ogsc] .card p').every(gmailSupports)).toBe(false)
    expect(selectorFeatures('table.data tr.row, .prose td + td').every(gmailSupports)).toBe(true)
  })

  // Gmail drops a whole <style> over one selector it does not support: a block with rules for Gmail has only selectors it supports.
  it('keeps every rule Gmail applies in a block with no selector Gmail rejects (caniemail data)', async () => {
    for (const email of await built) {
      styleBlocks(email.html).forEach((css, index) => {
        const rules = selectorsOf(css).map((rule) => ({
          ...rule,
          supported: selectorFeatures(rule.selector).every(gmailSupports),
          // Gmail reads no prefers-color-scheme query (css-at-media-prefers-color-scheme): those rules are for other apps.
          forGmail: !rule.media.some((media) => media.includes('prefers-color-scheme')) || gmailSupports('css-at-media-prefers-color-scheme'),
        }))
        const rejected = rules.filter((rule) => !rule.supported).map((rule) => rule.selector)
        const lost = rules.filter((rule) => rule.supported && rule.forGmail).map((rule) => rule.selector)
        expect({ email: email.name, block: index, lostToGmail: rejected.length ? lost : [] }).toEqual({ email: email.name, block: index, lostToGmail: [] })
      })
    }
  })

  it('gives every dark-mode rule an Outlook.com twin: [data-ogsc] for text colours, [data-ogsb] for backgrounds', async () => {
    const { html } = (await built)[0]!
    const css = styleBlocks(html).join('\n')
    const dark = /@media \(prefers-color-scheme: dark\) \{([\s\S]*?)\n\s*\}\n/.exec(css)![1]!
    const rules = [...dark.matchAll(/([^{}]+)\{([^}]*)\}/g)].map(([, selectors, body]) => ({
      selectors: selectors!.split(',').map((s) => s.trim()),
      body: body!,
    }))
    expect(rules.length).toBeGreaterThan(5)
    for (const { selectors, body } of rules) {
      const prefix = /background/.test(body) ? '[data-ogsb]' : '[data-ogsc]'
      for (const selector of selectors) expect(css, `${prefix} ${selector}`).toContain(`${prefix} ${selector}`)
    }
  })
})

describe('Outlook for Windows', () => {
  it('names the font on every text element and sets every line height exactly', async () => {
    for (const { html } of await built) {
      expect(html).toMatch(/<!--\[if mso\]><style>body, table, td, th, div, p, span, a, li, h1, h2, h3, strong, code \{ font-family: Segoe UI/)
      const styles = [...html.matchAll(/style="([^"]*)"/g)].map((match) => match[1]!)
      const rules = [...html.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1]!)
      const loose = [...styles, ...rules].filter(
        (declarations) => /line-height\s*:/.test(declarations) && !/mso-line-height-rule:\s*exactly/.test(declarations),
      )
      expect(loose).toEqual([])
    }
  })
})

describe('the plain-text part', () => {
  it('keeps every line to 78 characters, but a bare URL on its own line', async () => {
    for (const { name, text } of await built) {
      const long = text.split('\n').filter((line) => line.length > 78 && !/^(https?|mailto):\S+$/.test(line))
      expect({ name, long }).toEqual({ name, long: [] })
    }
  })

  it('uses the words and capitals of the HTML, in its order, and nothing the HTML leaves out', async () => {
    const issue = (await built).find((email) => email.name === 'issue-full')!
    expect(issue.text).toContain('  Severity: Critical · When: 12 Nov 2026 · Restart: Yes')
    expect(issue.html).toContain('&nbsp;Critical&nbsp;')
    expect(issue.text).not.toMatch(/CVE-/)
    expect(issue.html).not.toMatch(/CVE-/)
    expect(issue.text.indexOf('WINDOWS 11 UPDATE: RESTART ON THURSDAY')).toBeLessThan(issue.text.indexOf('PATCHES AND RESTARTS'))
    expect(issue.text).toContain('Was this useful?\nYes, this helped [')
    const ongoing = (await built).find((email) => email.name === 'notice-ongoing')!
    expect(ongoing.text).toContain(
      'Investigating since Fri 20 Nov, 10:05\n\nPrinting is down in York\n========================\n\nExpected back: Fri 20 Nov, 16:00\nNext update: 20 November 2026, 14:00\n',
    )
    const resolved = (await built).find((email) => email.name === 'notice-resolved')!
    expect(resolved.subject).toBe('[Resolved] Printing is back in York')
    expect(resolved.text).not.toMatch(/Workaround|Next update|Expected back/)
    expect(resolved.html).not.toMatch(/Workaround|Next update|Expected back/)
  })

  it('names the state in the subject with the words of the badge', async () => {
    const text = readFileSync(join(fixtures, 'notice-ongoing/input.md'), 'utf8').replace('state: investigating', 'state: identified')
    const email = await renderEmail(text, 'notice')
    expect(email.subject).toBe('[Cause identified] Printing is down in York')
    expect(email.html).toContain('>Cause\u00a0identified</td>')
  })
})

describe('the maintenance email', () => {
  it('gives the window as a short range and says a calendar invite is attached', async () => {
    const email = (await built).find((sample) => sample.name === 'notice-maintenance')!
    expect(email.text).toContain('When: Sat 28 Nov, 22:00–02:00\nA calendar invite is attached.')
    expect(email.html).toContain('<strong>When:</strong> Sat\u00a028\u00a0Nov,\u00a022:00–\u206002:00</p>')
  })
})

describe('the calendar invite', () => {
  const notice = (extra: string, hostile?: { title: string; service: string }) => {
    const text = readFileSync(join(fixtures, 'notice-maintenance/input.md'), 'utf8').replace(/^service: .*$/m, (line) => `${line}\n${extra}`)
    const { doc, file } = parseDoc('content/notices/2026-11-28-email.md', text, 'notice')
    if (!doc) throw new Error(String(file.messages))
    const parts = renderParts(doc)
    // The loader refuses most control characters (content/control-character); the calendar must hold on its own.
    const given = hostile ? { ...parts, title: hostile.title, notice: { ...parts.notice!, service: hostile.service } } : parts
    return noticeCalendar(given, testSettings())!
  }
  const vevent = (ics: string) => new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!

  it('reads back in ical.js with the title alone as SUMMARY, free unless `busy: true`', () => {
    const free = vevent(notice(''))
    expect(free.getFirstPropertyValue('summary')).toBe('Email: planned maintenance on Saturday night')
    expect(free.getFirstPropertyValue('transp')).toBe('TRANSPARENT')
    expect(vevent(notice('busy: true')).getFirstPropertyValue('transp')).toBe('OPAQUE')
  })

  it('escapes or drops every control character, so a bare CR starts no line or property', () => {
    const ics = notice('', { title: 'Email\rDTSTART:19700101T000000Z down\u0007 tonight', service: 'Email\rX-INJECTED:yes' })
    const event = vevent(ics)
    expect(event.getFirstPropertyValue('summary')).toBe('Email\nDTSTART:19700101T000000Z down tonight')
    expect(event.getAllProperties('dtstart')).toHaveLength(1)
    expect(event.getAllProperties().map((property) => property.name)).not.toContain('x-injected')
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n\u0007]/)
    // RFC 5545 §3.1: no line longer than 75 octets, folded lines start with one space.
    const lines = ics.split('\r\n').slice(0, -1)
    expect(lines.filter((line) => Buffer.byteLength(line) > 75)).toEqual([])
  })
})

describe('expected_back', () => {
  const parse = (lines: string[]) => {
    const text = `---\ntitle: VPN down\ndate: 2026-10-14\nsummary: The VPN is down.\nservice: VPN\nimpact: No VPN.\n${lines.join('\n')}\n---\n`
    const { file, doc } = parseDoc('content/notices/n.md', text, 'notice')
    return { doc, messages: collectMessages([file]).map(({ line, column, message, rule }) => ({ at: `${line}:${column}`, message, rule })) }
  }

  it('says when an open incident is back', () => {
    const { doc } = parse(['state: identified', 'expected_back: 2026-10-14T16:00'])
    expect(renderParts(doc!).notice?.expectedBackLabel).toBe('Wed 14 Oct, 16:00')
  })

  it('is refused on a resolved incident and on a maintenance, at its line', () => {
    expect(parse(['state: resolved', 'expected_back: 2026-10-14T16:00']).messages).toEqual([
      { at: '8:16', rule: 'front-matter/expected-back', message: '`expected_back` says when a broken service works again; this notice is `resolved`' },
    ])
    expect(
      parse(['kind: maintenance', 'state: scheduled', 'window: { start: 2026-11-28T22:00, end: 2026-11-29T02:00 }', 'expected_back: 2026-11-29T02:00'])
        .messages,
    ).toEqual([{ at: '10:16', rule: 'front-matter/expected-back', message: '`expected_back` is for incidents; a maintenance ends at `window.end`' }])
  })
})
