import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approveDocument } from '../../src/project/approve.ts'
import { approveFromPreview } from '../../src/preview/actions.ts'
import { runSend } from '../../src/commands/send.ts'
import { contentDigest } from '../../src/content/approval.ts'
import { failed, runPipeline } from '../../src/project/pipeline.ts'
import { loadProject } from '../../src/project/project.ts'
import { collect, makeProject, removeProject } from '../send/helpers.ts'

let keys: string
const roots: string[] = []

/** A new ed25519 key pair without a passphrase; returns the private key's path. */
function makeKey(name: string): string {
  const path = join(keys, name)
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path])
  return path
}

beforeAll(() => {
  keys = mkdtempSync(join(tmpdir(), 'newsletter-keys-'))
})
afterAll(async () => {
  rmSync(keys, { recursive: true, force: true })
  for (const root of roots) await removeProject(root)
})

/** A project whose settings accept approvals signed by Dana's key only; the issue is in review. */
async function signedProject(dana: string): Promise<string> {
  const root = await makeProject({ approve: false, send: '  approvers: approvers\n', edit: (text) => text.replace('status: approved', 'status: review').replace(/^approved_(by|at|digest):.*\n/gm, '') })
  roots.push(root)
  const publicKey = readFileSync(`${dana}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')
  await writeFile(join(root, 'approvers'), `dana@example.com namespaces="it-newsletter" ${publicKey}\n`)
  return root
}

const send = (root: string) => runSend({ yes: true, list: 'all-staff@example.com', 'dry-run': true }, ['2026-11'], collect(), { root, env: {}, tty: false })
const refusal = (root: string) => send(root).catch((error: unknown) => error)

async function published(root: string): Promise<{ slugs: string[]; warnings: string[] }> {
  const pipeline = await runPipeline(await loadProject(root))
  expect(failed(pipeline)).toBe(false)
  return { slugs: pipeline.emails.map((email) => email.slug), warnings: pipeline.files.flatMap((file) => file.messages.map(String)) }
}

function lineOf(text: string, start: string): number {
  return text.split('\n').findIndex((line) => line.startsWith(start)) + 1
}

describe('signed approvals', () => {
  it('accepts an approval signed by a listed approver, in send and build', async () => {
    const dana = makeKey('dana')
    const root = await signedProject(dana)
    const io = collect()
    expect(await approveDocument('2026-11', 'Dana Whitfield', io, root, { signWith: dana })).toBe(0)
    expect(io.stdout).toContain(`signed with ${dana}`)
    const text = await readFile(join(root, 'content/issues/2026-11.md'), 'utf8')
    expect(text).toMatch(/\napproved_signature: "[A-Za-z0-9+/=]{200,}"\n/)
    expect(await send(root)).toBe(0)
    expect((await published(root)).slugs).toEqual(['2026-11'])
  }, 120_000)

  it('refuses a forged digest with a made-up approver, unsigned', async () => {
    const root = await signedProject(makeKey('dana-forged'))
    const path = join(root, 'content/issues/2026-11.md')
    const edited = (await readFile(path, 'utf8')).replace('184 of you did', '185 of you did')
    const forged = edited.replace('status: review', `status: approved\napproved_by: "The CEO"\napproved_digest: ${contentDigest(edited)}`)
    await writeFile(path, forged)
    expect(await refusal(root)).toMatchObject({
      code: 'refused',
      message: '2026-11: the approval by The CEO is not signed, and approvers (send.approvers) asks for signed approvals',
      where: { line: lineOf(forged, 'approved_by:'), column: 14 },
      hint: 'Have a listed approver approve it with their SSH key: newsletter approve 2026-11 --by "Name" --sign',
    })
    const build = await published(root)
    expect(build.slugs).toEqual([])
    expect(build.warnings).toContain(
      `content/issues/2026-11.md:${lineOf(forged, 'approved_by:')}:14: 2026-11: the approval by The CEO is not signed, and approvers (send.approvers) asks for signed approvals: left out`,
    )
  }, 120_000)

  it('refuses a real signature moved onto other content or another approver', async () => {
    const dana = makeKey('dana-moved')
    const root = await signedProject(dana)
    expect(await approveDocument('2026-11', 'Dana Whitfield', collect(), root, { signWith: dana })).toBe(0)
    const path = join(root, 'content/issues/2026-11.md')
    const signed = await readFile(path, 'utf8')
    const renamed = signed.replace('approved_by: "Dana Whitfield"', 'approved_by: "The CEO"')
    await writeFile(path, renamed)
    expect(await refusal(root)).toMatchObject({
      code: 'refused',
      message:
        '2026-11: the approval signature does not match approved_digest and approved_by (The CEO): the content or the approver changed after signing, or the signature was made up',
      where: { line: lineOf(renamed, 'approved_signature:'), column: 21 },
    })
    const edited = signed.replace('184 of you did', '185 of you did')
    const moved = edited.replace(/approved_digest: \S+/, `approved_digest: ${contentDigest(edited)}`)
    await writeFile(path, moved)
    expect(await refusal(root)).toMatchObject({ code: 'refused', message: expect.stringContaining('the approval signature does not match approved_digest') })
    expect((await published(root)).slugs).toEqual([])
  }, 120_000)

  it("names the key that signed when it is not a listed approver's", async () => {
    const root = await signedProject(makeKey('dana-listed'))
    const mallory = makeKey('mallory')
    expect(await approveDocument('2026-11', 'Mallory', collect(), root, { signWith: mallory })).toBe(0)
    const fingerprint = /SHA256:\S+/.exec(execFileSync('ssh-keygen', ['-l', '-f', `${mallory}.pub`], { encoding: 'utf8' }))![0]
    const error = await refusal(root)
    expect(error).toMatchObject({
      code: 'refused',
      message: `2026-11: the approval by Mallory is signed with ${fingerprint}, which is not listed in approvers`,
      hint: 'If Mallory may approve, add their public key to approvers: `their@email ssh-ed25519 AAAA…`',
    })
    const build = await published(root)
    expect(build.slugs).toEqual([])
    expect(build.warnings.join('\n')).toContain(`is signed with ${fingerprint}, which is not listed in approvers: left out`)
  }, 120_000)

  it('refuses to make an unsigned approval when send.approvers asks for signed ones, from the command and the preview alike', async () => {
    const root = await signedProject(makeKey('erin'))
    const path = join(root, 'content/issues/2026-11.md')
    const before = await readFile(path, 'utf8')
    const message = 'Not approved: approvers (send.approvers) asks for signed approvals'
    const hint = 'Sign it with your SSH key at a terminal: newsletter approve 2026-11 --by "Dana Whitfield" --sign'
    await expect(approveDocument('2026-11', 'Dana Whitfield', collect(), root)).rejects.toMatchObject({ message, hint })
    const button = await approveFromPreview(root, 'issue', '2026-11', 'Dana Whitfield')
    expect(button.ok).toBe(false)
    expect(button.output.endsWith(`error: ${message}\n  ${hint}`)).toBe(true)
    expect(await readFile(path, 'utf8')).toBe(before)
  })

  it('changes nothing without send.approvers: an unsigned approval goes out as before', async () => {
    const root = await makeProject()
    roots.push(root)
    expect(await send(root)).toBe(0)
  }, 120_000)
})
