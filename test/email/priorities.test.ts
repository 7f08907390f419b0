import { describe, expect, it } from 'vitest'
import { findElements as elements, readableText as text } from '../helpers/html-text.ts'
import { renderEmail } from '../helpers/render.ts'

const issue = `---
title: "December: what we are working on"
issue: 15
date: 2026-12-01
summary: "Our priorities, and why the Wi-Fi work is late."
priorities:
  - title: Backups for every depot
    why: "Two depots have **no** backup today."
  - title: Guest Wi-Fi
projects:
  - id: guest-wifi
    name: Guest Wi-Fi upgrade
    status: delayed
    summary: "Access points for the depots."
    eta: 2027-03
    why: "The supplier sent the wrong access points. We ordered from a second supplier."
  - name: Laptop refresh
    status: on-track
---

## News

Nothing else this month.
`

const email = renderEmail(issue)

describe('priorities and why in the email', () => {
  it('lists the priorities in order under "What IT is working on, in order", before the projects', async () => {
    const { html } = await email
    const headings = elements(html, (element) => element.name === 'h2').map(text)
    expect(headings).toEqual(expect.arrayContaining(['What IT is working on, in order', 'Where our projects stand']))
    expect(headings.indexOf('What IT is working on, in order')).toBeLessThan(headings.indexOf('Where our projects stand'))
    const list = elements(html, (element) => element.name === 'ol')
    expect(list).toHaveLength(1)
    expect(elements(list[0]!, (element) => element.name === 'li').map(text)).toEqual([
      'Backups for every depot Two depots have no backup today.',
      'Guest Wi-Fi',
    ])
    expect(html).toContain('Two depots have <strong>no</strong> backup today.')
  })

  it('shows why under the project that slipped, and nothing under one that did not', async () => {
    const { html } = await email
    const rows = elements(html, (element) => element.name === 'tr' && element.attribs.class === 'row').map(text)
    expect(rows).toEqual([
      'Guest Wi-Fi upgrade Access points for the depots. Why: The supplier sent the wrong access points. We ordered from a second supplier. Delayed · Expected Mar 2027',
      'Laptop refresh On track',
    ])
  })

  it('has both in the text part', async () => {
    const { text } = await email
    expect(text).toContain(
      [
        'WHAT IT IS WORKING ON, IN ORDER',
        '-------------------------------',
        '',
        '1. Backups for every depot',
        '   Two depots have no backup today.',
        '',
        '2. Guest Wi-Fi',
        '',
        'WHERE OUR PROJECTS STAND',
        '------------------------',
        '',
        '- Guest Wi-Fi upgrade: Delayed, expected Mar 2027',
        '  Access points for the depots.',
        '  Why: The supplier sent the wrong access points. We ordered from a',
        '    second supplier.',
        '',
        '- Laptop refresh: On track',
      ].join('\n'),
    )
  })
})
