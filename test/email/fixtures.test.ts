import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderEmail } from '../helpers/render.ts'

// Each folder holds input.md next to the email and text it must produce; `vitest -u` rewrites them.
const root = join(import.meta.dirname, '../fixtures/email')

describe.each(readdirSync(root))('fixture %s', (name) => {
  it('renders the expected email and text part', async () => {
    const input = readFileSync(join(root, name, 'input.md'), 'utf8')
    const email = await renderEmail(input, name.startsWith('notice') ? 'notice' : 'issue')
    await expect(email.text).toMatchFileSnapshot(join(root, name, 'expected.txt'))
    await expect(email.html).toMatchFileSnapshot(join(root, name, 'expected.html'))
  })
})
