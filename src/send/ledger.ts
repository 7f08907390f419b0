import { mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { NewsletterError } from '../errors.ts'

/** Where a recipient stands: `sending` rows whose sender died are "in doubt" and are resent on resume. */
export type State = 'pending' | 'sending' | 'sent' | 'failed'

/** One ledger row: a recipient of one slug. */
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

/**
 * The send ledger: one SQLite file (WAL) with a row per (slug, recipient). A row is `sending` before
 * its message goes out and `sent` only after the server accepted it, so a killed process loses nothing.
 */
export class Ledger {
  readonly db: Database.Database
  private readonly statements

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true })
    try {
      this.db = new Database(path)
    } catch (error) {
      throw new NewsletterError(`Cannot open the ledger ${path}: ${(error as Error).message}`, 'io', undefined, { cause: error })
    }
    this.db.pragma('journal_mode = WAL')
    // NORMAL in WAL mode survives a killed process (kill -9); only a power cut can lose the last commits.
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('busy_timeout = 5000')
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS recipients (
        slug TEXT NOT NULL, key TEXT NOT NULL, email TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
        reply TEXT, updated_at TEXT NOT NULL, sent_at TEXT,
        PRIMARY KEY (slug, key)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS recipients_sent_at ON recipients (sent_at) WHERE sent_at IS NOT NULL;
      CREATE TABLE IF NOT EXISTS sends (slug TEXT PRIMARY KEY, digest TEXT NOT NULL, started_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS locks (slug TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL);
    `)
    this.statements = {
      add: this.db.prepare(`INSERT INTO recipients (slug, key, email, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      state: this.db.prepare(`SELECT state FROM recipients WHERE slug = ? AND key = ?`).pluck(),
      sending: this.db.prepare(`UPDATE recipients SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE slug = ? AND key = ?`),
      sent: this.db.prepare(`UPDATE recipients SET state = 'sent', reply = ?, updated_at = ?, sent_at = ? WHERE slug = ? AND key = ?`),
      settle: this.db.prepare(`UPDATE recipients SET state = ?, reply = ?, updated_at = ? WHERE slug = ? AND key = ?`),
      rows: this.db.prepare(`SELECT email, state, attempts, reply, updated_at FROM recipients WHERE slug = ? ORDER BY email`),
      counts: this.db.prepare(`SELECT state, count(*) AS n FROM recipients WHERE slug = ? GROUP BY state`),
      sentSince: this.db.prepare(`SELECT count(*) FROM recipients WHERE sent_at >= ?`).pluck(),
      send: this.db.prepare(`SELECT digest FROM sends WHERE slug = ?`).pluck(),
      startSend: this.db.prepare(`INSERT INTO sends (slug, digest, started_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`),
      lock: this.db.prepare(`SELECT pid, host, since FROM locks WHERE slug = ?`),
      takeLock: this.db.prepare(`INSERT OR REPLACE INTO locks (slug, pid, host, since) VALUES (?, ?, ?, ?)`),
      dropLock: this.db.prepare(`DELETE FROM locks WHERE slug = ? AND pid = ? AND host = ?`),
    }
  }

  /**
   * Become the only sender of `slug` in this ledger, or refuse (exit 2). A lock whose process is gone
   * (killed, crashed) on this machine is taken over, so a resume after `kill -9` just works.
   */
  lock(slug: string): void {
    const take = this.db.transaction(() => {
      const holder = this.statements.lock.get(slug) as { pid: number; host: string; since: string } | undefined
      if (holder && (holder.host !== hostname() || alive(holder.pid)) && !(holder.pid === process.pid && holder.host === hostname())) {
        throw new NewsletterError(`Another send of ${slug} is running (process ${holder.pid} on ${holder.host}, since ${holder.since}) with the ledger ${this.path}`, 'refused', undefined, {
          hint: holder.host === hostname() ? 'Wait for it to finish, or stop it; then rerun to resume' : `It runs on another machine; if it is gone, delete its lock: sqlite3 ${this.path} "DELETE FROM locks WHERE slug = '${slug}'"`,
        })
      }
      this.statements.takeLock.run(slug, process.pid, hostname(), now())
    })
    take.immediate()
  }

  /** Give up the lock taken by `lock()`. */
  unlock(slug: string): void {
    this.statements.dropLock.run(slug, process.pid, hostname())
  }

  /** The content digest the first run of this slug's send used, if any. */
  sendDigest(slug: string): string | undefined {
    return this.statements.send.get(slug) as string | undefined
  }

  /** Record the recipients of a send (existing rows keep their state) and the digest of what is sent. */
  enrol(slug: string, digest: string, recipients: readonly { key: string; email: string }[]): void {
    this.db.transaction(() => {
      const time = now()
      this.statements.startSend.run(slug, digest, time)
      for (const recipient of recipients) this.statements.add.run(slug, recipient.key, recipient.email, time)
    })()
  }

  /** The state of one recipient, if enrolled. */
  state(slug: string, key: string): State | undefined {
    return this.statements.state.get(slug, key) as State | undefined
  }

  /** Mark a recipient in flight: from here until `sent`, a crash makes it "in doubt". */
  markSending(slug: string, key: string): void {
    this.statements.sending.run(now(), slug, key)
  }

  /** The server accepted the message. */
  markSent(slug: string, key: string, reply: string): void {
    const time = now()
    this.statements.sent.run(reply, time, time, slug, key)
  }

  /** A permanent failure (`failed`) or one left for a later run (`pending`), with the reply. */
  markSettled(slug: string, key: string, state: 'failed' | 'pending', reply: string): void {
    this.statements.settle.run(state, reply, now(), slug, key)
  }

  /** Every recipient of a slug, by address. */
  rows(slug: string): LedgerRow[] {
    return this.statements.rows.all(slug) as LedgerRow[]
  }

  /** Recipients of a slug by state; `sending` rows count as in doubt. */
  counts(slug: string): Counts {
    const counts: Counts = { total: 0, sent: 0, failed: 0, pending: 0, inDoubt: 0 }
    for (const { state, n } of this.statements.counts.all(slug) as { state: State; n: number }[]) {
      counts.total += n
      if (state === 'sending') counts.inDoubt += n
      else counts[state] += n
    }
    return counts
  }

  /** Messages accepted in the last 24 hours, over every slug: what a relay's daily cap counts. */
  sentInLastDay(): number {
    return this.statements.sentSince.get(new Date(Date.now() - 86_400_000).toISOString()) as number
  }

  /** Close the database. */
  close(): void {
    this.db.close()
  }
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
