import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli, tempProject } from '../helpers/project.ts'

/** The 1-based line of a file on which some text first appears. */
function lineOf(path: string, text: string): number {
  return (
    readFileSync(path, 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(text)) + 1
  )
}

describe('newsletter build', () => {
  let dir: string
  beforeAll(() => {
    dir = tempProject()
  })

  it('writes an HTML and a text file for every issue and notice that is not a draft', async () => {
    const { code, stdout } = await runCli(dir, ['build'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Built 4 emails into .*dist\/email/)
    expect(readdirSync(join(dir, 'dist/email')).sort()).toEqual([
      '2026-09.html',
      '2026-09.txt',
      '2026-10-14-vpn-outage.html',
      '2026-10-14-vpn-outage.txt',
      '2026-10.html',
      '2026-10.txt',
      '2026-11.html',
      '2026-11.txt',
    ])
    const html = readFileSync(join(dir, 'dist/email/2026-11.html'), 'utf8')
    expect(html).toContain('<html lang="en-GB"')
    expect(html).toContain('<meta name="color-scheme" content="light dark">')
    expect(html).toContain('KB5046617')
    expect(html).toContain('https://intranet.example.com/it-news/email/2026-11/')
  })

  it('leaves drafts out unless --drafts, and honours --out', async () => {
    const draft = join(dir, 'content/issues/2026-12.md')
    writeFileSync(draft, '---\ntitle: December\nissue: 15\ndate: 2026-12-01\nsummary: Coming soon.\n---\n\nDraft body.\n')
    expect((await runCli(dir, ['build', '--out', 'out-a'])).code).toBe(0)
    expect(existsSync(join(dir, 'out-a/email/2026-12.html'))).toBe(false)
    expect((await runCli(dir, ['build', '--drafts', '--out', 'out-b'])).code).toBe(0)
    expect(readFileSync(join(dir, 'out-b/email/2026-12.txt'), 'utf8')).toContain('Draft body.')
  })

  it('keeps dist/email to exactly what is published: a renamed or re-drafted issue leaves nothing behind', async () => {
    const project = tempProject()
    expect((await runCli(project, ['build'])).code).toBe(0)
    renameSync(join(project, 'content/issues/2026-09.md'), join(project, 'content/issues/2026-09-review.md'))
    const october = join(project, 'content/issues/2026-10.md')
    writeFileSync(october, readFileSync(october, 'utf8').replace(/^status: \w+$/m, 'status: draft'))
    expect((await runCli(project, ['build'])).code).toBe(0)
    expect(readdirSync(join(project, 'dist/email')).sort()).toEqual([
      '2026-09-review.html',
      '2026-09-review.txt',
      '2026-10-14-vpn-outage.html',
      '2026-10-14-vpn-outage.txt',
      '2026-11.html',
      '2026-11.txt',
    ])
    expect(readdirSync(join(project, 'dist')).filter((name) => name.startsWith('.'))).toEqual([])
  })

  it('on any error writes nothing, replaces nothing, and prints one positioned line per problem', async () => {
    const out = join(dir, 'out-c')
    expect((await runCli(dir, ['build', '--out', 'out-c'])).code).toBe(0)
    const before = readFileSync(join(out, 'email/2026-11.html'), 'utf8')
    const issue = join(dir, 'content/issues/2026-11.md')
    const good = readFileSync(issue, 'utf8')
    writeFileSync(
      issue,
      good
        .replace('Save your work before 5 pm', 'Save your work before 5 pm, now')
        .replace('date: 2026-11-03', 'date: 3 Nov')
        .replace('severity: moderate', 'severity: meh'),
    )
    writeFileSync(join(dir, 'content/issues/2026-10.md'), readFileSync(join(dir, 'content/issues/2026-10.md'), 'utf8').replace('tags:', 'tagz:'))
    const { code, stderr } = await runCli(dir, ['build', '--out', 'out-c'])
    expect(code).toBe(1)
    const tags = lineOf(join(dir, 'content/issues/2026-10.md'), 'tagz:')
    const severity = lineOf(issue, 'severity: meh')
    expect(stderr).toContain(`content/issues/2026-10.md:${tags}:1: error: Unknown key \`tagz\` (front-matter/unknown-key)\n  Did you mean \`tags\`?`)
    expect(stderr).toContain('content/issues/2026-11.md:4:7: error: `date` must be a date written YYYY-MM-DD, got `3 Nov` (front-matter/date)')
    expect(stderr).toContain(
      `content/issues/2026-11.md:${severity}:15: error: \`severity\` must be one of critical | important | moderate | low, got \`meh\` (front-matter/severity)`,
    )
    expect(stderr).toMatch(/Build failed: 3 errors, \d+ warnings?\. Nothing was written\./)
    expect(stderr).not.toMatch(/\n\s+at /)
    expect(readFileSync(join(out, 'email/2026-11.html'), 'utf8')).toBe(before)
    expect(readdirSync(join(out, 'email')).filter((name) => name.includes('.tmp-'))).toEqual([])
    writeFileSync(issue, good)
  })
})

describe('newsletter check', () => {
  it('prints nothing but "No problems" for good content and exits 0', async () => {
    const dir = tempProject()
    const { code, stdout } = await runCli(dir, ['check'])
    expect({ code, stdout }).toEqual({ code: 0, stdout: 'No problems found.\n' })
  })

  it('prints JSON messages, only for the files asked about, and exits 1 on errors', async () => {
    const dir = tempProject()
    writeFileSync(join(dir, 'content/issues/2026-09.md'), '---js\n{}\n---\n')
    writeFileSync(join(dir, 'content/notices/bad.md'), '---\ntitle: X\n---\n')
    const { code, stdout } = await runCli(dir, ['check', 'content/issues/2026-09.md', '--format', 'json'])
    expect(code).toBe(1)
    expect(JSON.parse(stdout)).toEqual([
      {
        file: 'content/issues/2026-09.md',
        line: 1,
        column: 4,
        severity: 'error',
        rule: 'front-matter/engine',
        message: 'Front matter in `js` is not allowed: only YAML is read, and code in front matter is never run',
        hint: 'Start the file with a plain `---` line and write the front matter as YAML',
      },
    ])
  })

  it('reports settings mistakes against the settings file', async () => {
    const dir = tempProject()
    const settings = join(dir, 'content/settings.yml')
    writeFileSync(settings, readFileSync(settings, 'utf8').replace('colour: "#0b5cad"', 'colour: "#7fb2e5"'))
    const { code, stdout } = await runCli(dir, ['check'])
    expect(code).toBe(1)
    expect(stdout).toMatch(
      /^content\/settings\.yml:15:11: error: `brand\.colour` #7fb2e5 has a contrast of 2\.\d\d:1 with white text; at least 4\.5:1 is needed \(settings\/contrast\)/,
    )
  })

  it('flags an email Gmail would clip as an error, and one close to the limit as a warning', async () => {
    const dir = tempProject()
    const paragraph = 'This sentence pads the body so the email grows past what Gmail shows without clipping. '.repeat(12)
    const body = (count: number) => Array.from({ length: count }, (_, i) => `## Part ${i}\n\n${paragraph}\n`).join('\n')
    const issue = (count: number) => `---\ntitle: Long\nissue: 99\ndate: 2026-11-03\nsummary: Long.\n---\n\n${body(count)}`
    writeFileSync(join(dir, 'content/issues/2027-01.md'), issue(40))
    writeFileSync(join(dir, 'content/issues/2027-02.md'), issue(25).replace('issue: 99', 'issue: 100'))
    const { code, stdout } = await runCli(dir, ['check'])
    expect(code).toBe(1)
    expect(stdout).toMatch(/content\/issues\/2027-01\.md:1:1: error: The email is 1\d\d\.\d KB; Gmail clips emails over 102 KB \(email\/size\)/)
    expect(stdout).toMatch(/content\/issues\/2027-02\.md:1:1: warning: The email is 9\d\.\d KB, close to Gmail's 102 KB clipping limit \(email\/size\)/)
  })

  it('explains unknown commands and options', async () => {
    const dir = tempProject()
    expect((await runCli(dir, ['bulid'])).code).toBe(2)
    const { code, stderr } = await runCli(dir, ['build', '--dratfs'])
    expect(code).toBe(2)
    expect(stderr).toContain("Unknown option '--dratfs'")
    expect((await runCli(dir, ['build', '--help'])).stdout).toContain('--drafts')
    const missing = await runCli(dir, ['check', 'content/issues/2099-01.md'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('error: No such file: content/issues/2099-01.md')
  })
})
