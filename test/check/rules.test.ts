import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { rules } from '../../src/check/rules.ts'
import { checkFixtures, loadFixtures, positions } from '../helpers/check.ts'

const base = join(import.meta.dirname, '../fixtures/check')
// Rules that need more than a Markdown file (a huge email, a web server, a file name, the issue before, the last issue's
// answers, departments.yml and a recipients file) have their own tests.
const elsewhere = new Set([
  'email/size',
  'email/style-size',
  'links/online',
  'content/file-name',
  'sense/project-slip',
  'sense/you-told-us',
  'departments/no-contact',
  'departments/no-recipients',
])
const fixtureRules = Object.keys(rules).filter((rule) => !elsewhere.has(rule))

describe('each rule, on its failing and passing fixture', () => {
  it('has a fixture folder for every rule checked from Markdown', () => {
    const folders = readdirSync(base).flatMap((family) => readdirSync(join(base, family)).map((name) => `${family}/${name}`))
    expect(folders.filter((folder) => folder in rules).sort()).toEqual(fixtureRules.sort())
  })

  for (const rule of fixtureRules) {
    it(rule, async () => {
      const dir = join(base, rule)
      const messages = await checkFixtures(dir, await loadFixtures(dir, ['fail.md', 'pass.md']))
      const expected = readFileSync(join(dir, 'expected.txt'), 'utf8').trim().split('\n')
      // Every message of this rule is on fail.md, exactly where expected.txt says; none on pass.md.
      expect(positions(messages, rule)).toEqual(expected)
    })
  }
})
