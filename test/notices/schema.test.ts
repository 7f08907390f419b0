import { describe, expect, it } from 'vitest'
import { collectMessages } from '../../src/check/messages.ts'
import { parseSettings } from '../../src/config.ts'
import { parseDoc } from '../../src/content/load.ts'
import type { NoticeMeta } from '../../src/content/types.ts'

const base = ['title: Email maintenance', 'date: 2026-11-21', 'summary: Email is down on Saturday night.', 'service: Email', 'impact: No email.']

function parse(lines: string[]) {
  const { file, doc } = parseDoc('content/notices/n.md', `---\n${lines.join('\n')}\n---\nBody\n`, 'notice')
  return {
    meta: doc?.meta as NoticeMeta | undefined,
    messages: collectMessages([file]).map(({ line, column, message, rule, hint }) => ({ at: `${line}:${column}`, message, rule, hint })),
  }
}

describe('notice kinds and states', () => {
  it('reads an incident by default, each update with its state', () => {
    const { meta, messages } = parse([
      ...base,
      'state: identified',
      'updates:',
      '  - time: 2026-10-14T08:25',
      '    state: investigating',
      '    text: Looking.',
      '  - time: 2026-10-14T09:10',
      '    state: identified',
      '    text: Found it.',
    ])
    expect(messages).toEqual([])
    expect(meta).toMatchObject({ kind: 'notice', noticeKind: 'incident', state: 'identified', updates: [{ state: 'investigating' }, { state: 'identified' }] })
  })

  it('reads a maintenance with its window', () => {
    const { meta, messages } = parse([...base, 'kind: maintenance', 'state: scheduled', 'window:', '  start: 2026-11-28T22:00', '  end: 2026-11-29T02:00'])
    expect(messages).toEqual([])
    expect(meta).toMatchObject({ noticeKind: 'maintenance', state: 'scheduled', window: { start: '2026-11-28T22:00', end: '2026-11-29T02:00' } })
  })

  it('refuses a maintenance state on an incident, at the state and at the update', () => {
    const { messages } = parse([...base, 'state: scheduled', 'updates:', '  - time: 2026-10-14T08:25', '    state: completed', '    text: Done.'])
    expect(messages).toEqual([
      {
        at: '7:8',
        rule: 'front-matter/state',
        message: '`state` `scheduled` is a state of a maintenance; an incident is investigating | identified | monitoring | resolved',
        hint: 'For planned work, add `kind: maintenance` and a `window:`',
      },
      {
        at: '10:12',
        rule: 'front-matter/state',
        message: '`updates[1].state` `completed` is a state of a maintenance; an incident is investigating | identified | monitoring | resolved',
        hint: 'For planned work, add `kind: maintenance` and a `window:`',
      },
    ])
  })

  it('refuses an incident state on a maintenance', () => {
    const { messages } = parse([...base, 'kind: maintenance', 'state: resolved', 'window: { start: 2026-11-28T22:00, end: 2026-11-29T02:00 }'])
    expect(messages).toEqual([
      {
        at: '8:8',
        rule: 'front-matter/state',
        message: '`state` `resolved` is a state of an incident; a maintenance is scheduled | in-progress | completed',
        hint: 'Use one of scheduled, in-progress, completed',
      },
    ])
  })

  it('wants a window on a maintenance, none on an incident, and an end after the start', () => {
    expect(parse([...base, 'kind: maintenance', 'state: scheduled']).messages).toEqual([
      {
        at: '7:7',
        rule: 'front-matter/window',
        message: 'A maintenance needs a `window:` saying when the work starts and ends',
        hint: 'Add window: { start: 2026-11-28T22:00, end: 2026-11-29T02:00 }',
      },
    ])
    expect(
      parse([...base, 'state: investigating', 'window: { start: 2026-11-28T22:00, end: 2026-11-29T02:00 }']).messages.map(({ at, rule }) => `${at} ${rule}`),
    ).toEqual(['8:9 front-matter/window'])
    expect(parse([...base, 'kind: maintenance', 'state: scheduled', 'window:', '  start: 2026-11-28T22:00', '  end: 2026-11-28T21:00']).messages).toEqual([
      {
        at: '11:8',
        rule: 'front-matter/window',
        message: '`window.end` (2026-11-28T21:00) must be after `window.start` (2026-11-28T22:00)',
        hint: 'Check the date of the end: work past midnight ends the next day',
      },
    ])
  })

  it('refuses an unknown kind with a guess', () => {
    expect(parse([...base, 'kind: maintenence', 'state: scheduled']).messages).toEqual([
      { at: '7:7', rule: 'front-matter/kind', message: '`kind` must be one of incident | maintenance, got `maintenence`', hint: 'Did you mean `maintenance`?' },
    ])
  })
})

describe('settings for notices', () => {
  const settings = [
    'organisation: O',
    'from: it@example.com',
    'archive_url: https://example.com/',
    'brand: { colour: "#0b5cad" }',
    'contact: { email: it@example.com }',
  ]

  it('defaults the time zone to UTC and the channels to none', () => {
    expect(parseSettings('settings.yml', settings.join('\n')).settings).toMatchObject({ timezone: 'UTC', channels: [] })
  })

  it('reads a time zone, channels and the notice approval', () => {
    const text = [...settings, 'timezone: Europe/London', 'channels:', '  - { kind: teams, webhook_env: TEAMS_URL }', 'notices: { approval: optional }'].join(
      '\n',
    )
    expect(parseSettings('settings.yml', text).settings).toMatchObject({
      timezone: 'Europe/London',
      channels: [{ kind: 'teams', webhook_env: 'TEAMS_URL' }],
      notices: { approval: 'optional' },
    })
  })

  it('points at a time zone that does not exist and a URL written where a variable name goes', () => {
    const text = [...settings, 'timezone: Europe/Londn', 'channels:', '  - { kind: slack, webhook_env: "https://hooks.slack.com/services/x" }'].join('\n')
    const messages = collectMessages([parseSettings('settings.yml', text).file]).map(({ line, column, rule }) => `${line}:${column} ${rule}`)
    expect(messages).toEqual(['6:11 settings/timezone', '8:33 settings/webhook_env'])
  })
})
