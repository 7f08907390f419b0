import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { answersOf, feedbackDir, formatFeedback, type FeedbackCounts } from '../content/feedback.ts'
import { NewsletterError } from '../errors.ts'
import { writeAtomic } from '../project/write.ts'
import { readMailboxes } from './mailbox.ts'
import { readReply } from './reply.ts'
import { addReplies, countTally, emptyTally, keyFingerprint, type CountedReply, type Tally } from './tally.ts'
import { findToken, type Answer } from './token.ts'

/** The environment variable that holds the key the sender addresses are hashed with. */
export const feedbackKeyEnv = 'NEWSLETTER_FEEDBACK_KEY'

/** What a feedback import reads and where it writes. */
export interface ImportRequest {
  /** mbox files, folders of .eml files, .eml files (relative to `root`). */
  paths: string[]
  root: string
  contentDir: string
  /** Where the tallies between imports live (`.newsletter/feedback/`). */
  stateDir: string
  /** The key from {@link feedbackKeyEnv}. */
  key: string
  /** Each issue and notice a token may name, with its sections in order. */
  documents: ReadonlyMap<string, readonly string[]>
  /** A lower-cased address → department id, from `--recipients`. */
  departmentOf?: (address: string) => string | undefined
}

/** One comment for the `--comments` file: what it was about and what was written; never who. */
export interface Comment {
  slug: string
  section?: string
  answer: Answer
  date?: Date
  text: string
}

/** What an import found and did, for the command to print. */
export interface ImportOutcome {
  messages: number
  /** Messages with a token naming a known issue and section. */
  answers: number
  /** Messages without a token: left alone. */
  other: number
  /** Tokens naming an issue or section this project does not have. */
  unknown: number
  /** Messages with no sender address (nothing to count them under). */
  noSender: number
  /** Messages mailparser could not read, by source. */
  unreadable: string[]
  comments: Comment[]
  /** Each issue whose replies were read: its counts and whether its file changed. */
  issues: { slug: string; counts: FeedbackCounts; path: string; changed: boolean }[]
}

/** Import every reply in the mailboxes: count them into the tallies and write `content/feedback/<slug>.yml` where the counts changed. */
export async function importFeedback(request: ImportRequest): Promise<ImportOutcome> {
  const raws = await readMailboxes(request.paths, request.root)
  const outcome: ImportOutcome = { messages: raws.length, answers: 0, other: 0, unknown: 0, noSender: 0, unreadable: [], comments: [], issues: [] }
  const bySlug = new Map<string, CountedReply[]>()
  const commented = new Set<string>()
  for (const raw of raws) {
    const reply = await readReply(raw).catch(() => undefined)
    if (!reply) {
      outcome.unreadable.push(raw.source)
      continue
    }
    const token = findToken(reply.subject)
    if (!token) {
      outcome.other++
      continue
    }
    const sections = request.documents.get(token.slug)
    if (!sections || (token.section !== undefined && !sections.includes(token.section))) {
      outcome.unknown++
      continue
    }
    if (!reply.sender) {
      outcome.noSender++
      continue
    }
    outcome.answers++
    const hasComment = /\p{L}/u.test(reply.comment)
    const messageKey = reply.messageId ?? `${reply.sender}\n${reply.date?.toISOString()}\n${reply.subject}\n${reply.comment}`
    // The same message read twice (an mbox and an export of the same folder) is one comment.
    if (hasComment && !commented.has(messageKey))
      outcome.comments.push({ slug: token.slug, section: token.section, answer: token.answer, date: reply.date, text: reply.comment })
    if (hasComment) commented.add(messageKey)
    const replies = bySlug.get(token.slug) ?? []
    replies.push({
      token,
      sender: reply.sender,
      date: reply.date,
      messageKey,
      hasComment,
      department: request.departmentOf?.(reply.sender),
    })
    bySlug.set(token.slug, replies)
  }
  for (const [slug, replies] of [...bySlug].sort(([a], [b]) => a.localeCompare(b))) {
    const countsPath = join(request.contentDir, feedbackDir, `${slug}.yml`)
    const tallyPath = join(request.stateDir, `${slug}.json`)
    const before = await readTally(tallyPath, countsPath, request)
    const tally = addReplies(before, request.key, replies)
    const counts = countTally(tally, request.documents.get(slug))
    const text = formatFeedback(slug, counts)
    const changed = (await readFile(countsPath, 'utf8').catch(() => undefined)) !== text
    // The tally first: counts written without it could not be added to again.
    if (JSON.stringify(tally) !== JSON.stringify(before)) await writeAtomic(tallyPath, `${JSON.stringify(tally, null, 2)}\n`)
    if (changed) await writeAtomic(countsPath, text)
    outcome.issues.push({ slug, counts, path: relative(request.root, countsPath), changed })
  }
  return outcome
}

/** The tally of earlier imports; refused when it was made with another key, or when counts exist without it. */
async function readTally(tallyPath: string, countsPath: string, request: ImportRequest): Promise<Tally> {
  const shown = relative(request.root, tallyPath)
  const text = await readFile(tallyPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw new NewsletterError(`Cannot read ${shown}: ${error.code ?? error.message}`, 'io', undefined, { cause: error })
  })
  if (text === undefined) {
    const counts = await readFile(countsPath, 'utf8').catch(() => undefined)
    if (counts !== undefined) {
      throw new NewsletterError(
        `${relative(request.root, countsPath)} has counts, but ${shown} (what earlier imports counted) is missing`,
        'refused',
        undefined,
        {
          hint: `Importing now would count people twice. Restore ${shown} from the machine that imported before, or delete ${relative(request.root, countsPath)} and import every mailbox again`,
        },
      )
    }
    return emptyTally(request.key)
  }
  let tally: Tally
  try {
    tally = JSON.parse(text) as Tally
  } catch (error) {
    throw new NewsletterError(`${shown} is damaged: ${(error as Error).message}`, 'refused', undefined, {
      cause: error,
      hint: `Restore it from a backup, or delete it and ${relative(request.root, countsPath)} and import every mailbox again`,
    })
  }
  if (tally.key !== keyFingerprint(request.key)) {
    throw new NewsletterError(`${shown} was counted with another ${feedbackKeyEnv}`, 'refused', undefined, {
      hint: `Set ${feedbackKeyEnv} to the key used before: with a new key everyone who answered would be counted again`,
    })
  }
  return tally
}

/** The key from the environment, checked; refused with what to do when it is missing or too short. */
export function feedbackKey(env: NodeJS.ProcessEnv): string {
  const key = env[feedbackKeyEnv]?.trim()
  if (!key) {
    throw new NewsletterError(
      `${feedbackKeyEnv} is not set: sender addresses are counted through a keyed hash, and the key is kept out of the project`,
      'refused',
      undefined,
      {
        hint: `Create one once with \`openssl rand -hex 32\`, keep it where SMTP_URL is kept (never in the repository), and export ${feedbackKeyEnv}=… before every import`,
      },
    )
  }
  if (key.length < 32) {
    throw new NewsletterError(`${feedbackKeyEnv} is ${key.length} characters long; at least 32 are needed`, 'refused', undefined, {
      hint: 'Create one with `openssl rand -hex 32`',
    })
  }
  return key
}

/** How many answered and how many found it useful, as the archive and the command say it. */
export function answeredLine(counts: Pick<FeedbackCounts, 'yes' | 'no'>): string {
  const answers = answersOf(counts)
  return `${answers} ${answers === 1 ? 'person' : 'people'} answered: ${counts.yes} found it useful`
}
