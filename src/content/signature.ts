import { execFile } from 'node:child_process'
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Config } from '../config.ts'
import { NewsletterError } from '../errors.ts'
import { approvalMessage } from './approval.ts'
import type { Doc } from './types.ts'

/** The namespace every approval signature is made and checked in, so no other SSH signature can pass for one. */
export const signatureNamespace = 'it-newsletter'

/** What checking an approval's signature found: the listed approver who signed it, or why it is not accepted. */
export type SignatureCheck = { ok: true; principal: string } | { ok: false; reason: string; hint: string }

/** Sign an approval with an SSH key (`ssh-keygen -Y sign`); returns the signature as stored: base64, no armor lines. */
export async function signApproval(digest: string, by: string, keyFile: string): Promise<string> {
  const armored = await sshKeygen(['-Y', 'sign', '-f', keyFile, '-n', signatureNamespace], approvalMessage(digest, by))
  if (armored.code !== 0) throw new Error(`ssh-keygen could not sign with ${keyFile}: ${armored.stderr.trim() || `exit ${armored.code}`}`)
  return armored.stdout.replace(/-----(BEGIN|END) SSH SIGNATURE-----/g, '').replace(/\s+/g, '')
}

/**
 * Accept an approval only when `signature` is a valid signature of (digest, approver) by a key listed in the
 * `allowed_signers` file (`ssh-keygen -Y find-principals`, then `-Y verify`). Says whose key is missing otherwise.
 */
export async function checkSignature(
  approval: { digest: string; by: string; signature?: string },
  approvers: { path: string; name: string },
): Promise<SignatureCheck> {
  const { digest, by, signature } = approval
  if (!signature) {
    return {
      ok: false,
      reason: `the approval by ${by} is not signed, and ${approvers.name} (send.approvers) asks for signed approvals`,
      hint: 'Have a listed approver approve it with their SSH key: newsletter approve SLUG --by "Name" --sign',
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'newsletter-signature-'))
  try {
    const sigFile = join(dir, 'approval.sig')
    await writeFile(sigFile, armor(signature))
    const message = approvalMessage(digest, by)
    const found = await sshKeygen(['-Y', 'find-principals', '-s', sigFile, '-f', approvers.path])
    const principal = found.code === 0 ? found.stdout.split('\n')[0]!.trim() : ''
    if (principal !== '') {
      const verified = await sshKeygen(['-Y', 'verify', '-f', approvers.path, '-I', principal, '-n', signatureNamespace, '-s', sigFile], message)
      if (verified.code === 0) return { ok: true, principal }
    }
    const unchecked = await sshKeygen(['-Y', 'check-novalidate', '-n', signatureNamespace, '-s', sigFile], message)
    if (unchecked.code !== 0) {
      return {
        ok: false,
        reason: `the approval signature does not match approved_digest and approved_by (${by}): the content or the approver changed after signing, or the signature was made up`,
        hint: 'Have the content reviewed, then approve it again with --sign',
      }
    }
    const key = /SHA256:[A-Za-z0-9+/=]+/.exec(`${unchecked.stdout}\n${unchecked.stderr}`)?.[0] ?? 'an unknown key'
    return {
      ok: false,
      reason: `the approval by ${by} is signed with ${key}, which is not listed in ${approvers.name}`,
      hint: `If ${by} may approve, add their public key to ${approvers.name}: \`their@email ssh-ed25519 AAAA…\``,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * With `send.approvers` set, check the signature of a document's approval; undefined when the settings do not ask
 * for signed approvals. The approvers file is read relative to the project folder.
 */
export async function checkDocSignature(doc: Doc, config: Pick<Config, 'root' | 'settings'>): Promise<SignatureCheck | undefined> {
  const name = config.settings.send?.approvers
  if (!name) return undefined
  const path = resolve(config.root, name)
  if (!(await access(path).then(() => true, () => false))) {
    return { ok: false, reason: `the approvers file ${name} (send.approvers) cannot be read`, hint: 'Create it in OpenSSH allowed_signers format: one `email ssh-ed25519 AAAA…` line per approver' }
  }
  const { approved_digest: digest = '', approved_by: by = '', approved_signature: signature } = doc.meta
  return checkSignature({ digest, by, signature }, { path, name })
}

/** Refuse (exit 2) an approval `send.approvers` does not accept, at the approval's lines; does nothing without it. */
export async function requireSignedApproval(doc: Doc, config: Pick<Config, 'root' | 'settings'>): Promise<void> {
  const check = await checkDocSignature(doc, config)
  if (!check || check.ok) return
  const place = doc.where('approved_signature') ?? doc.where('approved_by') ?? doc.where('status') ?? { line: 1, column: 1 }
  throw new NewsletterError(`${doc.slug}: ${check.reason}`, 'refused', { file: doc.path, ...place }, { hint: check.hint.replace('SLUG', doc.slug) })
}

/** The stored base64 back in the armor ssh-keygen reads, in its 70-column lines. */
function armor(base64: string): string {
  return `-----BEGIN SSH SIGNATURE-----\n${base64.replace(/.{1,70}/g, '$&\n')}-----END SSH SIGNATURE-----\n`
}

function sshKeygen(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile('ssh-keygen', args, { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`ssh-keygen could not run: ${error.message}. Install OpenSSH (apt-get install openssh-client).`, { cause: error }))
        return
      }
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr })
    })
    // ssh-keygen may exit before reading what it is given (a signature it rejects at once): its exit code says why,
    // and the write's EPIPE is not an error of ours.
    child.stdin?.on('error', () => undefined)
    child.stdin?.end(input ?? '')
  })
}
