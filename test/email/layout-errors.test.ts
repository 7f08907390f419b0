import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { NewsletterError } from '../../src/errors.ts'
import { renderEmail, repo } from '../helpers/render.ts'

const input = readFileSync(join(repo, 'test/fixtures/email/issue-minimal/input.md'), 'utf8')

function brokenLayouts(file: string, edit: (source: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'layouts-'))
  cpSync(join(repo, 'layouts/email'), dir, { recursive: true })
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')))
  return dir
}

async function errorOf(dir: string): Promise<NewsletterError> {
  const error = await renderEmail(input, 'issue', dir).catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(NewsletterError)
  return error as NewsletterError
}

describe('layout errors name the layout file and line a person edits', () => {
  it('traces an MJML validation error in a partial back to its line', async () => {
    const dir = brokenLayouts('footer.mjml', (source) => source.replace('<mj-column>', '<mj-column colour="red">'))
    const error = await errorOf(dir)
    expect(error.message).toBe('MJML: <mj-column>: Attribute colour is illegal')
    expect(error.where).toEqual({ file: relative(process.cwd(), join(dir, 'footer.mjml')), line: 2, column: 1 })
  })

  it('traces an MJML error in the main layout after loops and includes', async () => {
    const dir = brokenLayouts('issue.mjml', (source) => source.replace('<mj-text><h1>', '<mj-text foo="1"><h1>'))
    const error = await errorOf(dir)
    const line =
      readFileSync(join(dir, 'issue.mjml'), 'utf8')
        .split('\n')
        .findIndex((text) => text.includes('foo="1"')) + 1
    expect(error.where).toMatchObject({ file: relative(process.cwd(), join(dir, 'issue.mjml')), line })
  })

  it('reports a Liquid syntax error with its line and column', async () => {
    const dir = brokenLayouts('header.mjml', (source) => source.replace('{{ kicker }}', '{{ kicker '))
    const error = await errorOf(dir)
    const line =
      readFileSync(join(dir, 'header.mjml'), 'utf8')
        .split('\n')
        .findIndex((text) => text.includes('{{ kicker ')) + 1
    expect(error.where).toMatchObject({ file: relative(process.cwd(), join(dir, 'header.mjml')), line })
    expect(error.message).toMatch(/^Layout: /)
  })

  it('does not follow mj-include', async () => {
    const dir = brokenLayouts('footer.mjml', (source) => source.replace('<mj-section', '<mj-include path="/etc/passwd" />\n    <mj-section'))
    const email = await renderEmail(input, 'issue', dir)
    expect(email.html).not.toContain('root:')
  })
})
