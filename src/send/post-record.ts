import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { NewsletterError } from '../errors.ts'
import type { PostRecord } from './channels.ts'

/** Where `newsletter post` remembers its posts unless `--record` says otherwise (git-ignored). */
export const defaultPostRecord = '.newsletter/posts.sqlite'

/** Channel posts in a small SQLite file: one row per (slug, revision, channel), written only once the channel accepted it. */
export class SqlitePostRecord implements PostRecord {
  private readonly db: Database.Database
  private readonly statements

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true })
    try {
      this.db = new Database(path)
    } catch (error) {
      throw new NewsletterError(`Cannot open the post record ${path}: ${(error as Error).message}`, 'io', undefined, { cause: error })
    }
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('busy_timeout = 5000')
    this.db.exec('CREATE TABLE IF NOT EXISTS posts (slug TEXT NOT NULL, revision INTEGER NOT NULL, channel TEXT NOT NULL, posted_at TEXT NOT NULL, PRIMARY KEY (slug, revision, channel)) WITHOUT ROWID')
    this.statements = {
      posted: this.db.prepare('SELECT 1 FROM posts WHERE slug = ? AND revision = ? AND channel = ?').pluck(),
      record: this.db.prepare('INSERT INTO posts (slug, revision, channel, posted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    }
  }

  posted(slug: string, revision: number, channel: string): boolean {
    return this.statements.posted.get(slug, revision, channel) !== undefined
  }

  recordPosted(slug: string, revision: number, channel: string, at: Date): void {
    this.statements.record.run(slug, revision, channel, at.toISOString())
  }

  /** Close the file. */
  close(): void {
    this.db.close()
  }
}
