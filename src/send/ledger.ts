import { existsSync, mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { NewsletterError } from '../errors.ts'
import { legacyDestination, migrations } from './ledger-schema.ts'

/** Where a recipient stands: `sending` rows whose sender died are "in doubt" and are resent on resume. */
export type State = 'pending' | 'sending' | 'sent' | 'failed'

/** One ledger row: a recipient of one send (see sendKey) at one destination. */
export interface LedgerRow {
  email: string
  state: State
  attempts: number
  /** The server's last reply (or the error when there was none). */
  reply: string | null
  updated_at: string
}

/** How many recipients of a send are in each state. */
export interface Counts {
  total: number
  sent: number
  failed: number
  pending: number
  inDoubt: number
}

/** One send to one destination, as the send loop records it; `key` is the recipient's. */
export interface SendRecord {
  state(key: string): State | undefined
  /** Mark a recipient in flight: from here until `sent`, a crash makes it "in doubt". */
  markSending(key: string): void
  /** The server accepted the message. */
  markSent(key: string, reply: string): void
  /** A permanent failure (`failed`) or one left for a later run (`pending`), with the reply. */
  markSettled(key: string, state: 'failed' | 'pending', reply: string): void
}

/** Where the ledger lives unless `--ledger` says otherwise (git-ignored). */
export const defaultLedger = '.newsletter/sends.sqlite'

/** A lock not renewed for this long belongs to a sender that is gone, wherever it ran. */
export const staleAfter = 120_000
const renewEvery = 5_000

/**
 * The send ledger: one SQLite file (WAL) with a row per (send key, destination, recipient). A row is
 * `sending` before its message goes out and `sent` only after the server accepted it, so a killed
 * process loses nothing; the destination (`outbox`, `smtp host:port`) keeps a trial apart from the real send.
 */
export class Ledger {
  readonly db: Database.Database
  private readonly statements
  private lease: NodeJS.Timeout | undefined

  /**
   * Open `file`, creating it only when there is no such file, and bring it to the current schema. An empty file, a
   * database that is not a ledger, one from a newer version and a damaged one are refused (NewsletterErrors naming it
   * as `path`: what the person typed, or the default).
   */
  constructor(
    readonly file: string,
    readonly path: string = file,
  ) {
    const fresh = !existsSync(file)
    try {
      mkdirSync(dirname(file), { recursive: true })
      this.db = new Database(file)
    } catch (error) {
      throw ledgerError(path, error)
    }
    try {
      this.db.pragma('busy_timeout = 5000')
      this.check()
      this.migrate(fresh)
      this.db.pragma('journal_mode = WAL')
      // NORMAL in WAL mode survives a killed process (kill -9); only a power cut can lose the last commits.
      this.db.pragma('synchronous = NORMAL')
    } catch (error) {
      this.db.close()
      throw ledgerError(path, error)
    }
    this.statements = {
      add: this.db.prepare(`INSERT INTO recipients (send_key, destination, recipient_key, email, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      state: this.db.prepare(`SELECT state FROM recipients WHERE send_key = ? AND destination = ? AND recipient_key = ?`).pluck(),
      sending: this.db.prepare(
        `UPDATE recipients SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE send_key = ? AND destination = ? AND recipient_key = ?`,
      ),
      sent: this.db.prepare(
        `UPDATE recipients SET state = 'sent', reply = ?, updated_at = ?, sent_at = ? WHERE send_key = ? AND destination = ? AND recipient_key = ?`,
      ),
      settle: this.db.prepare(`UPDATE recipients SET state = ?, reply = ?, updated_at = ? WHERE send_key = ? AND destination = ? AND recipient_key = ?`),
      rows: this.db.prepare(`SELECT email, state, attempts, reply, updated_at FROM recipients WHERE send_key = ? AND destination = ? ORDER BY email`),
      counts: this.db.prepare(`SELECT state, count(*) AS n FROM recipients WHERE send_key = ? AND destination = ? GROUP BY state`),
      destinations: this.db.prepare(`SELECT DISTINCT destination FROM recipients WHERE send_key = ? ORDER BY destination = 'outbox', destination`).pluck(),
      // A notice's revisions after the first are sent under `<slug>.r<N>` (see sendKey); slugs never contain a dot.
      sendKeys: this.db.prepare(`SELECT DISTINCT send_key FROM recipients WHERE send_key = ? OR send_key LIKE ? || '.r%'`).pluck(),
      posted: this.db.prepare('SELECT 1 FROM posts WHERE slug = ? AND revision = ? AND channel = ?').pluck(),
      recordPost: this.db.prepare('INSERT INTO posts (slug, revision, channel, posted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      // The relay's daily cap counts what went to a server, not the trial files in the outbox.
      sentSince: this.db.prepare(`SELECT count(*) FROM recipients WHERE sent_at >= ? AND destination <> 'outbox'`).pluck(),
      send: this.db.prepare(`SELECT digest FROM sends WHERE send_key = ? AND destination = ?`).pluck(),
      startSend: this.db.prepare(`INSERT INTO sends (send_key, destination, digest, started_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      adoptRows: this.db.prepare(`UPDATE OR IGNORE recipients SET destination = ? WHERE send_key = ? AND destination = ?`),
      adoptSend: this.db.prepare(`UPDATE OR IGNORE sends SET destination = ? WHERE send_key = ? AND destination = ?`),
      dropLegacy: this.db.prepare(`DELETE FROM recipients WHERE send_key = ? AND destination = ?`),
      lock: this.db.prepare(`SELECT pid, host, since, renewed_at FROM locks WHERE slug = ?`),
      takeLock: this.db.prepare(`INSERT OR REPLACE INTO locks (slug, pid, host, since, renewed_at) VALUES (?, ?, ?, ?, ?)`),
      renewLock: this.db.prepare(`UPDATE locks SET renewed_at = ? WHERE slug = ? AND pid = ? AND host = ?`),
      dropLock: this.db.prepare(`DELETE FROM locks WHERE slug = ? AND pid = ? AND host = ?`),
    }
  }

  /**
   * SQLite's quick integrity check; a damaged ledger is refused with what to do. `fresh` reads the file
   * through a new connection, as the next run will: damage done to the file under this connection
   * (a truncated WAL) does not show through its own cache.
   */
  check(options: { fresh?: boolean } = {}): void {
    let result: unknown
    if (options.fresh) {
      const reader = new Database(this.file, { readonly: true, fileMustExist: true })
      try {
        result = reader.pragma('quick_check', { simple: true })
      } finally {
        reader.close()
      }
    } else result = this.db.pragma('quick_check', { simple: true })
    if (result !== 'ok') {
      const problems = String(result)
        .split('\n')
        .filter((line) => !line.startsWith('***'))
      const more = problems.length > 1 ? ` and ${problems.length - 1} more` : ''
      throw new NewsletterError(`The ledger ${this.path} is damaged (SQLite integrity check: ${problems[0]}${more})`, 'refused', undefined, {
        hint: `Keep a copy for the record, then recover what it holds: sqlite3 ${this.path} ".recover" | sqlite3 recovered.sqlite, and pass --ledger recovered.sqlite`,
      })
    }
  }

  /**
   * Become the only sender of `slug` in this ledger, or refuse (exit 2). The lock is a lease renewed
   * every few seconds: one not renewed for `staleAfter`, or left by a dead process on this machine, is
   * taken over. Returns a note when it took over someone else's lock.
   */
  lock(slug: string): string | undefined {
    let note: string | undefined
    const take = this.db.transaction(() => {
      const holder = this.statements.lock.get(slug) as { pid: number; host: string; since: string; renewed_at: string | null } | undefined
      const mine = holder?.pid === process.pid && holder.host === hostname()
      if (holder && !mine) {
        const renewed = Date.parse(holder.renewed_at ?? holder.since)
        const quiet = Date.now() - renewed
        const dead = holder.host === hostname() && !alive(holder.pid)
        if (quiet < staleAfter && !dead) {
          throw new NewsletterError(
            `Another send of ${slug} is running (process ${holder.pid} on ${holder.host}, since ${holder.since}, last seen ${Math.round(quiet / 1000)} s ago) with the ledger ${this.path}`,
            'refused',
            undefined,
            {
              hint: `Wait for it to finish, or stop it; a lock its sender stops renewing is taken over after ${staleAfter / 60_000} minutes`,
            },
          )
        }
        note = `Took over the lock of process ${holder.pid} on ${holder.host} (${dead ? 'no longer running' : `not renewed for ${Math.round(quiet / 1000)} s`}).`
      }
      const time = now()
      this.statements.takeLock.run(slug, process.pid, hostname(), time, time)
    })
    take.immediate()
    this.lease = setInterval(() => {
      try {
        this.statements.renewLock.run(now(), slug, process.pid, hostname())
      } catch (error) {
        // A busy ledger misses one renewal, which the next one makes up; anything else is the run's to report.
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error
      }
    }, renewEvery)
    this.lease.unref()
    return note
  }

  /** Give up the lock taken by `lock()`. */
  unlock(slug: string): void {
    clearInterval(this.lease)
    this.statements.dropLock.run(slug, process.pid, hostname())
  }

  /**
   * Rows recorded before destinations (other than the outbox's) came from an SMTP send: the first SMTP
   * destination to resume that send takes them over, so upgrading never resends what was accepted.
   */
  adopt(sendKey: string, destination: string): void {
    if (!destination.startsWith('smtp ')) return
    this.db.transaction(() => {
      this.statements.adoptRows.run(destination, sendKey, legacyDestination)
      this.statements.adoptSend.run(destination, sendKey, legacyDestination)
      this.statements.dropLegacy.run(sendKey, legacyDestination)
    })()
  }

  /** The destinations a send went to, SMTP ones first. */
  destinations(sendKey: string): string[] {
    return this.statements.destinations.all(sendKey) as string[]
  }

  /** Every send of a document, one per revision (issues have one): `[{ sendKey, revision }]`, first revision first. */
  revisions(slug: string): { sendKey: string; revision: number }[] {
    return (this.statements.sendKeys.all(slug, slug) as string[])
      .map((sendKey) => ({ sendKey, revision: revisionOf(sendKey) }))
      .sort((a, b) => a.revision - b.revision)
  }

  /** Whether this revision was posted to this channel (channel posts are recorded with the sends, never posted twice). */
  posted(slug: string, revision: number, channel: string): boolean {
    return this.statements.posted.get(slug, revision, channel) !== undefined
  }

  /** Record that a channel accepted this revision's post. */
  recordPosted(slug: string, revision: number, channel: string, at: Date): void {
    this.statements.recordPost.run(slug, revision, channel, at.toISOString())
  }

  /** The content digest the first run of this send to `destination` used, if any. */
  sendDigest(sendKey: string, destination: string): string | undefined {
    return this.statements.send.get(sendKey, destination) as string | undefined
  }

  /** Record the recipients of a send (existing rows keep their state) and the digest of what is sent. */
  enrol(sendKey: string, destination: string, digest: string, recipients: readonly { key: string; email: string }[]): void {
    this.db.transaction(() => {
      const time = now()
      this.statements.startSend.run(sendKey, destination, digest, time)
      for (const recipient of recipients) this.statements.add.run(sendKey, destination, recipient.key, recipient.email, time)
    })()
  }

  /** The send `sendKey` to `destination`, for the send loop. */
  record(sendKey: string, destination: string): SendRecord {
    const { state, sending, sent, settle } = this.statements
    return {
      state: (key) => state.get(sendKey, destination, key) as State | undefined,
      markSending: (key) => void sending.run(now(), sendKey, destination, key),
      markSent: (key, reply) => {
        const time = now()
        sent.run(reply, time, time, sendKey, destination, key)
      },
      markSettled: (key, to, reply) => void settle.run(to, reply, now(), sendKey, destination, key),
    }
  }

  /** Every recipient of a send at one destination, by address. */
  rows(sendKey: string, destination: string): LedgerRow[] {
    return this.statements.rows.all(sendKey, destination) as LedgerRow[]
  }

  /** Recipients of a send at one destination by state; `sending` rows count as in doubt. */
  counts(sendKey: string, destination: string): Counts {
    const counts: Counts = { total: 0, sent: 0, failed: 0, pending: 0, inDoubt: 0 }
    for (const { state, n } of this.statements.counts.all(sendKey, destination) as { state: State; n: number }[]) {
      counts.total += n
      if (state === 'sending') counts.inDoubt += n
      else counts[state] += n
    }
    return counts
  }

  /** Messages accepted by a server in the last 24 hours, over every slug: what a relay's daily cap counts. */
  sentInLastDay(): number {
    return this.statements.sentSince.get(new Date(Date.now() - 86_400_000).toISOString()) as number
  }

  /** Close the database. */
  close(): void {
    clearInterval(this.lease)
    this.db.close()
  }

  /**
   * Apply the schema steps this ledger lacks, one transaction each, counting in `PRAGMA user_version`. Each step
   * reads the version again under the write lock, so two processes opening an old ledger apply it once; a current
   * ledger is only read (a read-only one still opens for `report`).
   */
  private migrate(fresh: boolean): void {
    if (this.userVersion() === migrations.length) return
    const step = this.db.transaction(() => {
      const version = this.version(fresh)
      if (version === migrations.length) return false
      this.db.exec(migrations[version]!)
      this.db.pragma(`user_version = ${version + 1}`)
      return true
    })
    let more = true
    while (more) more = step.immediate()
  }

  /** The step this ledger is at. One from before numbered steps (user_version 0) is recognised by its columns. */
  private version(fresh: boolean): number {
    const version = this.userVersion()
    if (version > 0) return version
    const tables = this.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT GLOB 'sqlite_*'`).pluck().all() as string[]
    if (tables.length === 0) {
      if (fresh) return 0
      throw new NewsletterError(
        `The ledger ${this.path} is empty: it has no record of what was sent, so everyone would be mailed again`,
        'refused',
        undefined,
        {
          hint: `Restore it from a backup. Delete it only if you are sure nothing was sent with it, or pass another --ledger FILE`,
        },
      )
    }
    if (!tables.includes('recipients')) {
      throw new NewsletterError(
        `The ledger ${this.path} is an SQLite database but not a send ledger (its tables: ${tables.join(', ')})`,
        'refused',
        undefined,
        {
          hint: 'Pass the --ledger FILE your sends use, or a file that does not exist yet to start a new ledger',
        },
      )
    }
    const columns = this.db.pragma('table_info(recipients)') as { name: string }[]
    return columns.some((column) => column.name === 'destination') ? 2 : 1
  }

  private userVersion(): number {
    const version = this.db.pragma('user_version', { simple: true }) as number
    if (version > migrations.length) {
      throw new NewsletterError(
        `The ledger ${this.path} was written by a newer version of newsletter (ledger schema ${version}; this version knows up to ${migrations.length})`,
        'refused',
        undefined,
        { hint: 'Upgrade newsletter to the version that wrote it (git pull, then npm install) and rerun; this version left the ledger as it was' },
      )
    }
    return version
  }
}

/** A SQLite failure as an error that says what happened to the ledger and what to do (exit 2). */
export function ledgerError(path: string, error: unknown): Error {
  if (error instanceof NewsletterError) return error
  const code = (error as { code?: string }).code ?? ''
  const detail = (error as Error).message
  const fail = (what: string, hint: string) => new NewsletterError(`The ledger ${path} ${what} (${detail})`, 'refused', undefined, { cause: error, hint })
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EROFS' || code === 'SQLITE_PERM') {
    return fail('cannot be written', `Make it and its folder writable (chmod u+w ${path} ${dirname(path)}), or pass another --ledger FILE`)
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return fail(
      'is damaged or not a ledger',
      `Keep a copy for the record, then recover what it holds: sqlite3 ${path} ".recover" | sqlite3 recovered.sqlite, and pass --ledger recovered.sqlite`,
    )
  }
  if (code.startsWith('SQLITE_') || code.startsWith('E')) {
    return fail('cannot be used', `Check that ${path} is a file you can read and write on a disk with free space, then rerun`)
  }
  return error as Error
}

function now(): string {
  return new Date().toISOString()
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The key a document's send is recorded under: the slug for issues and a notice's first revision, `<slug>.r<N>` after. */
export function sendKey(slug: string, revision: number): string {
  return revision <= 1 ? slug : `${slug}.r${revision}`
}

function revisionOf(sendKey: string): number {
  return Number(/\.r(\d+)$/.exec(sendKey)?.[1] ?? 1)
}
