import { mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { NewsletterError } from '../errors.ts'

/** Where a recipient stands: `sending` rows whose sender died are "in doubt" and are resent on resume. */
export type State = 'pending' | 'sending' | 'sent' | 'failed'

/** One ledger row: a recipient of one slug at one destination. */
export interface LedgerRow {
  email: string
  state: State
  attempts: number
  /** The server's last reply (or the error when there was none). */
  reply: string | null
  updated_at: string
}

/** How many recipients of a slug are in each state. */
export interface Counts {
  total: number
  sent: number
  failed: number
  pending: number
  inDoubt: number
}

/** One slug's send to one destination, as the send loop records it. */
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

/** Rows of sends recorded before the ledger knew destinations, other than the outbox's (see `adopt`). */
export const legacyDestination = 'smtp (recorded before destinations)'

/** A lock not renewed for this long belongs to a sender that is gone, wherever it ran. */
export const staleAfter = 120_000
const renewEvery = 5_000

/**
 * The send ledger: one SQLite file (WAL) with a row per (slug, destination, recipient). A row is
 * `sending` before its message goes out and `sent` only after the server accepted it, so a killed
 * process loses nothing; the destination (`outbox`, `smtp host:port`) keeps a trial apart from the real send.
 */
export class Ledger {
  readonly db: Database.Database
  private readonly statements
  private lease: NodeJS.Timeout | undefined

  /**
   * Open `file` (creating it if needed), upgrade an older ledger, and check its integrity: problems are NewsletterErrors
   * that name it as `path` (what the person typed, or the default).
   */
  constructor(
    readonly file: string,
    readonly path: string = file,
  ) {
    try {
      mkdirSync(dirname(file), { recursive: true })
      this.db = new Database(file)
    } catch (error) {
      throw ledgerError(path, error)
    }
    try {
      this.db.pragma('journal_mode = WAL')
      // NORMAL in WAL mode survives a killed process (kill -9); only a power cut can lose the last commits.
      this.db.pragma('synchronous = NORMAL')
      this.db.pragma('busy_timeout = 5000')
      this.check()
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS recipients (
          slug TEXT NOT NULL, destination TEXT NOT NULL, key TEXT NOT NULL, email TEXT NOT NULL,
          state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
          reply TEXT, updated_at TEXT NOT NULL, sent_at TEXT,
          PRIMARY KEY (slug, destination, key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS sends (slug TEXT NOT NULL, destination TEXT NOT NULL, digest TEXT NOT NULL, started_at TEXT NOT NULL, PRIMARY KEY (slug, destination));
        CREATE TABLE IF NOT EXISTS locks (slug TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL, renewed_at TEXT);
        CREATE TABLE IF NOT EXISTS posts (slug TEXT NOT NULL, revision INTEGER NOT NULL, channel TEXT NOT NULL, posted_at TEXT NOT NULL, PRIMARY KEY (slug, revision, channel)) WITHOUT ROWID;
      `)
      this.upgrade()
      this.db.exec(`CREATE INDEX IF NOT EXISTS recipients_sent_at ON recipients (sent_at) WHERE sent_at IS NOT NULL`)
    } catch (error) {
      this.db.close()
      throw ledgerError(path, error)
    }
    this.statements = {
      add: this.db.prepare(`INSERT INTO recipients (slug, destination, key, email, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      state: this.db.prepare(`SELECT state FROM recipients WHERE slug = ? AND destination = ? AND key = ?`).pluck(),
      sending: this.db.prepare(
        `UPDATE recipients SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE slug = ? AND destination = ? AND key = ?`,
      ),
      sent: this.db.prepare(`UPDATE recipients SET state = 'sent', reply = ?, updated_at = ?, sent_at = ? WHERE slug = ? AND destination = ? AND key = ?`),
      settle: this.db.prepare(`UPDATE recipients SET state = ?, reply = ?, updated_at = ? WHERE slug = ? AND destination = ? AND key = ?`),
      rows: this.db.prepare(`SELECT email, state, attempts, reply, updated_at FROM recipients WHERE slug = ? AND destination = ? ORDER BY email`),
      counts: this.db.prepare(`SELECT state, count(*) AS n FROM recipients WHERE slug = ? AND destination = ? GROUP BY state`),
      destinations: this.db.prepare(`SELECT DISTINCT destination FROM recipients WHERE slug = ? ORDER BY destination = 'outbox', destination`).pluck(),
      // A notice's revisions after the first are sent under `<slug>.r<N>` (see sendKey); slugs never contain a dot.
      sendKeys: this.db.prepare(`SELECT DISTINCT slug FROM recipients WHERE slug = ? OR slug LIKE ? || '.r%'`).pluck(),
      posted: this.db.prepare('SELECT 1 FROM posts WHERE slug = ? AND revision = ? AND channel = ?').pluck(),
      recordPost: this.db.prepare('INSERT INTO posts (slug, revision, channel, posted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      // The relay's daily cap counts what went to a server, not the trial files in the outbox.
      sentSince: this.db.prepare(`SELECT count(*) FROM recipients WHERE sent_at >= ? AND destination <> 'outbox'`).pluck(),
      send: this.db.prepare(`SELECT digest FROM sends WHERE slug = ? AND destination = ?`).pluck(),
      startSend: this.db.prepare(`INSERT INTO sends (slug, destination, digest, started_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      adoptRows: this.db.prepare(`UPDATE OR IGNORE recipients SET destination = ? WHERE slug = ? AND destination = ?`),
      adoptSend: this.db.prepare(`UPDATE OR IGNORE sends SET destination = ? WHERE slug = ? AND destination = ?`),
      dropLegacy: this.db.prepare(`DELETE FROM recipients WHERE slug = ? AND destination = ?`),
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
   * every few seconds: one not renewed for 2 minutes, or left by a dead process on this machine, is
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
   * destination to resume that slug takes them over, so upgrading never resends what was accepted.
   */
  adopt(slug: string, destination: string): void {
    if (!destination.startsWith('smtp ')) return
    this.db.transaction(() => {
      this.statements.adoptRows.run(destination, slug, legacyDestination)
      this.statements.adoptSend.run(destination, slug, legacyDestination)
      this.statements.dropLegacy.run(slug, legacyDestination)
    })()
  }

  /** The destinations a slug was sent to, SMTP ones first. */
  destinations(slug: string): string[] {
    return this.statements.destinations.all(slug) as string[]
  }

  /** Every send of a document, one per revision (issues have one): `[{ key, revision }]`, first revision first. */
  revisions(slug: string): { key: string; revision: number }[] {
    return (this.statements.sendKeys.all(slug, slug) as string[]).map((key) => ({ key, revision: revisionOf(key) })).sort((a, b) => a.revision - b.revision)
  }

  /** Whether this revision was posted to this channel (channel posts are recorded with the sends, never posted twice). */
  posted(slug: string, revision: number, channel: string): boolean {
    return this.statements.posted.get(slug, revision, channel) !== undefined
  }

  /** Record that a channel accepted this revision's post. */
  recordPosted(slug: string, revision: number, channel: string, at: Date): void {
    this.statements.recordPost.run(slug, revision, channel, at.toISOString())
  }

  /** The content digest the first run of this slug's send to `destination` used, if any. */
  sendDigest(slug: string, destination: string): string | undefined {
    return this.statements.send.get(slug, destination) as string | undefined
  }

  /** Record the recipients of a send (existing rows keep their state) and the digest of what is sent. */
  enrol(slug: string, destination: string, digest: string, recipients: readonly { key: string; email: string }[]): void {
    this.db.transaction(() => {
      const time = now()
      this.statements.startSend.run(slug, destination, digest, time)
      for (const recipient of recipients) this.statements.add.run(slug, destination, recipient.key, recipient.email, time)
    })()
  }

  /** The send of `slug` to `destination`, for the send loop. */
  record(slug: string, destination: string): SendRecord {
    const { state, sending, sent, settle } = this.statements
    return {
      state: (key) => state.get(slug, destination, key) as State | undefined,
      markSending: (key) => void sending.run(now(), slug, destination, key),
      markSent: (key, reply) => {
        const time = now()
        sent.run(reply, time, time, slug, destination, key)
      },
      markSettled: (key, to, reply) => void settle.run(to, reply, now(), slug, destination, key),
    }
  }

  /** Every recipient of a slug at one destination, by address. */
  rows(slug: string, destination: string): LedgerRow[] {
    return this.statements.rows.all(slug, destination) as LedgerRow[]
  }

  /** Recipients of a slug at one destination by state; `sending` rows count as in doubt. */
  counts(slug: string, destination: string): Counts {
    const counts: Counts = { total: 0, sent: 0, failed: 0, pending: 0, inDoubt: 0 }
    for (const { state, n } of this.statements.counts.all(slug, destination) as { state: State; n: number }[]) {
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

  /** A ledger written before destinations: move its rows over, telling the outbox's apart by their reply. */
  private upgrade(): void {
    const columns = this.db.pragma('table_info(recipients)') as { name: string }[]
    if (columns.some((column) => column.name === 'destination')) return
    this.db
      .transaction(() => {
        this.db.exec(`
        DROP INDEX IF EXISTS recipients_sent_at;
        ALTER TABLE recipients RENAME TO recipients_v1;
        ALTER TABLE sends RENAME TO sends_v1;
        CREATE TABLE recipients (
          slug TEXT NOT NULL, destination TEXT NOT NULL, key TEXT NOT NULL, email TEXT NOT NULL,
          state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
          reply TEXT, updated_at TEXT NOT NULL, sent_at TEXT,
          PRIMARY KEY (slug, destination, key)) WITHOUT ROWID;
        CREATE TABLE sends (slug TEXT NOT NULL, destination TEXT NOT NULL, digest TEXT NOT NULL, started_at TEXT NOT NULL, PRIMARY KEY (slug, destination));
      `)
        // The outbox transport replies "250 written to <file>"; every other reply came from a server.
        this.db
          .prepare(
            `
        INSERT INTO recipients SELECT slug, CASE WHEN reply LIKE '250 written to %' THEN 'outbox' ELSE ? END, key, email, state, attempts, reply, updated_at, sent_at FROM recipients_v1
      `,
          )
          .run(legacyDestination)
        this.db.exec(`
        INSERT INTO sends SELECT DISTINCT s.slug, r.destination, s.digest, s.started_at FROM sends_v1 s JOIN recipients r ON r.slug = s.slug;
        DROP TABLE recipients_v1;
        DROP TABLE sends_v1;
      `)
        const locks = this.db.pragma('table_info(locks)') as { name: string }[]
        if (!locks.some((column) => column.name === 'renewed_at')) this.db.exec(`ALTER TABLE locks ADD COLUMN renewed_at TEXT`)
      })
      .immediate()
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

function revisionOf(key: string): number {
  return Number(/\.r(\d+)$/.exec(key)?.[1] ?? 1)
}
