import { join } from 'node:path'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { checkEmail } from '../../src/check/email-checks.ts'
import { collectMessages } from '../../src/check/messages.ts'
import { createEmitter, type ChecksSettings } from '../../src/check/rules.ts'
import { parseDoc } from '../../src/content/load.ts'
import { buildEmail, type EmailArtifact } from '../../src/email/build-email.ts'
import { loadLayouts } from '../../src/email/layout.ts'
import { renderParts } from '../../src/markdown/parts.ts'
import { sampleSettings } from '../helpers/check.ts'

const root = join(import.meta.dirname, '../..')
const front = '---\ntitle: Fixture\nissue: 1\ndate: 2026-11-01\nsummary: "A short summary."\n---\n\n## News\n\n'

// A real email of the sample layouts, padded inside <body> to an exact size: the rule only reads the HTML.
async function realEmail() {
  const doc = parseDoc('sized.md', `${front}Text.\n`, 'issue').doc!
  return buildEmail(renderParts(doc), await sampleSettings(), await loadLayouts(join(root, 'layouts/email'), root))
}

function run(email: EmailArtifact, settings?: ChecksSettings, bytes?: number) {
  const html = bytes === undefined ? email.html : email.html.replace('</body>', `<p>${'x'.repeat(bytes - email.bytes - 7)}</p></body>`)
  const file = new VFile({ path: 'sized.md', value: '' })
  checkEmail({ ...email, html, bytes: Buffer.byteLength(html) }, [], createEmitter(file, settings))
  return collectMessages([file]).map((m) => `${m.line}:${m.column} ${m.severity} ${m.message} (${m.rule})`)
}

describe('email/size', () => {
  it('is an error over 102 KB, a warning over 90 KB, and quiet below, at the top of the file', async () => {
    const email = await realEmail()
    expect(run(email, undefined, 102_001)).toEqual(['1:1 error The email is 102.0 KB; Gmail clips emails over 102 KB (email/size)'])
    expect(run(email, undefined, 102_000)).toEqual(["1:1 warning The email is 102.0 KB, close to Gmail's 102 KB clipping limit (email/size)"])
    expect(run(email, undefined, 90_001)).toEqual(["1:1 warning The email is 90.0 KB, close to Gmail's 102 KB clipping limit (email/size)"])
    expect(run(email, undefined, 90_000)).toEqual([])
    expect(run(email)).toEqual([])
  })

  it('can be turned off, and its early warning never becomes an error', async () => {
    const email = await realEmail()
    expect(run(email, { rules: { 'email/size': 'off' } }, 110_000)).toEqual([])
    expect(run(email, { rules: { 'email/size': 'error' } }, 95_000)).toEqual([
      "1:1 warning The email is 95.0 KB, close to Gmail's 102 KB clipping limit (email/size)",
    ])
  })
})

describe('email/style-size', () => {
  it('is an error when the <style> blocks add up to more than 16 KB', async () => {
    const email = await realEmail()
    expect(run(email)).toEqual([])
    const padded = { ...email, html: email.html.replace('</head>', `<style>${'.x{color:red}'.repeat(1000)}</style></head>`) }
    expect(run(padded)).toEqual([
      expect.stringMatching(/^1:1 error The email's <style> blocks add up to 1[6-9]\.\d KB; Gmail ignores them over 16 KB \(email\/style-size\)$/),
    ])
  })
})
