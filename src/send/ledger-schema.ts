/** Rows of sends recorded before the ledger knew destinations, other than the outbox's (see `Ledger.adopt`). */
export const legacyDestination = 'smtp (recorded before destinations)'

/**
 * The ledger's schema as numbered steps: step N (index N - 1) takes a ledger from `PRAGMA user_version` N - 1
 * to N, in one transaction. Add a step to change the schema; never edit one that has shipped.
 */
export const migrations: readonly string[] = [
  // 1. The first ledger: one row per (slug, recipient). Its sent_at index is made by step 2, which rebuilds the table.
  `
  CREATE TABLE recipients (
    slug TEXT NOT NULL, key TEXT NOT NULL, email TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
    reply TEXT, updated_at TEXT NOT NULL, sent_at TEXT,
    PRIMARY KEY (slug, key)) WITHOUT ROWID;
  CREATE TABLE sends (slug TEXT PRIMARY KEY, digest TEXT NOT NULL, started_at TEXT NOT NULL);
  CREATE TABLE locks (slug TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL);
  `,
  // 2. Sends are kept per destination, so an outbox trial never settles the real send; locks become leases.
  // SQLite cannot change a primary key in place: the tables are rebuilt (sqlite.org/lang_altertable.html#otheralter).
  // The outbox transport replies "250 written to <file>"; every other reply came from a server.
  `
  CREATE TABLE recipients_by_destination (
    slug TEXT NOT NULL, destination TEXT NOT NULL, key TEXT NOT NULL, email TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
    reply TEXT, updated_at TEXT NOT NULL, sent_at TEXT,
    PRIMARY KEY (slug, destination, key)) WITHOUT ROWID;
  INSERT INTO recipients_by_destination
    SELECT slug, CASE WHEN reply LIKE '250 written to %' THEN 'outbox' ELSE '${legacyDestination}' END, key, email, state, attempts, reply, updated_at, sent_at
    FROM recipients;
  CREATE TABLE sends_by_destination (
    slug TEXT NOT NULL, destination TEXT NOT NULL, digest TEXT NOT NULL, started_at TEXT NOT NULL,
    PRIMARY KEY (slug, destination));
  INSERT INTO sends_by_destination
    SELECT DISTINCT s.slug, r.destination, s.digest, s.started_at FROM sends s JOIN recipients_by_destination r ON r.slug = s.slug;
  DROP TABLE recipients;
  DROP TABLE sends;
  ALTER TABLE recipients_by_destination RENAME TO recipients;
  ALTER TABLE sends_by_destination RENAME TO sends;
  CREATE INDEX recipients_sent_at ON recipients (sent_at) WHERE sent_at IS NOT NULL;
  ALTER TABLE locks ADD COLUMN renewed_at TEXT;
  `,
  // 3. Channel posts, one per (slug, revision, channel). A ledger from before numbered steps may have the table
  // already: the code of that time created it before upgrading.
  `
  CREATE TABLE IF NOT EXISTS posts (
    slug TEXT NOT NULL, revision INTEGER NOT NULL, channel TEXT NOT NULL, posted_at TEXT NOT NULL,
    PRIMARY KEY (slug, revision, channel)) WITHOUT ROWID;
  `,
  // 4. One name for each key: the send key (`<slug>` or `<slug>.r<N>`, see sendKey) and the recipient's key.
  `
  ALTER TABLE recipients RENAME COLUMN slug TO send_key;
  ALTER TABLE recipients RENAME COLUMN key TO recipient_key;
  ALTER TABLE sends RENAME COLUMN slug TO send_key;
  `,
]
