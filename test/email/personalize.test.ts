import { describe, expect, it } from 'vitest'
import { compileTemplate, escapeHtml, fillTemplate, fillTemplateBytes } from '../../src/email/personalize.ts'

describe('personalization templates', () => {
  it('fills fields, escapes values where asked, and falls back when a field is empty', () => {
    const template = compileTemplate('Hi {{ name }}, {{department|colleague}}: <b>{{name}}</b>')
    expect(fillTemplate(template, { name: 'Ann <Ops>', department: '' }, escapeHtml)).toBe('Hi Ann &#60;Ops&#62;, colleague: <b>Ann &#60;Ops&#62;</b>')
    expect(fillTemplateBytes(template, { name: 'Bo', department: 'Finance' }).toString()).toBe('Hi Bo, Finance: <b>Bo</b>')
  })

  it("reads only the recipient's own fields, never inherited ones", () => {
    const template = compileTemplate('{{constructor|friend}} {{toString|x}} {{__proto__}}')
    expect(fillTemplate(template, { name: 'Ann' })).toBe('friend x ')
    expect(fillTemplateBytes(template, { name: 'Ann' }).toString()).toBe('friend x ')
  })
})
