import type { VFile } from 'vfile'
import { report } from '../errors.ts'
import type { EmailArtifact } from './build-email.ts'

// Gmail clips messages whose HTML is over about 102 KB and hides the rest behind "View entire message".
// Counted in bytes of 1,000 to stay on the safe side of the limit.
export const clipBytes = 102_000
export const warnBytes = 90_000

/** Put an error on the document when its email would be clipped, a warning when it is close. */
export function checkBudget(email: EmailArtifact, file: VFile): void {
  const kb = (email.bytes / 1000).toFixed(1)
  if (email.bytes > clipBytes) {
    report(file, 'error', `The email is ${kb} KB; Gmail clips emails over 102 KB`, 'email/size', { line: 1, column: 1 }, 'Shorten the body or move detail to a linked page')
  } else if (email.bytes > warnBytes) {
    report(file, 'warning', `The email is ${kb} KB, close to Gmail's 102 KB clipping limit`, 'email/size', { line: 1, column: 1 }, 'Consider shortening the body')
  }
}
