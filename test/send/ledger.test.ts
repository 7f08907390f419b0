import { truncateSync } from 'node:fs'
import { chmod, copyFile, mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { runSend } from '../../src/commands/send.ts'
import { reportCommand } from '../../src/commands/report.ts'
import { NewsletterError } from '../../src/errors.ts'
import { Ledger } from '../../src/send/ledger.ts'
import { legacyDestination, migrations } from '../../src/send/ledger-schema.ts'
import { collect, repo, runCli, scaffold, spawnCli } from './helpers.ts'

const { project, sink } = scaffold({ send: '  retry_delay: 10\n  require_tls: false\n' })

async function send(root: string, env: Record<string, string>, flags: Record<string, unknown> = {}) {
  const io = collect()
  const code = await runSend({ yes: true, recipients: join(root, 'staff.csv'), ...flags }, ['2026-11'], io, { root, env, tty: false, progressEvery: 60_000 })
  return { code, io }
}

async function report(root: string, format = 'text') {
  const io = collect()
  const code = await reportCommand.run({ ledger: join(root, '.newsletter/sends.sqlite'), format }, ['2026-11'], io, root)
  return { code, io }
}

describe('trials are kept apart from the real send', () => {
  it('runs the README sequence: an outbox trial, then the real send mails everyone, and report shows both', async () => {
    const root = await project()
    await copyFile(join(repo, 'content/recipients.example.csv'), join(root, 'staff.csv'))
    const trial = await send(root, {})
    expect(trial.code).toBe(0)
    expect(trial.io.stdout).toMatch(/^Done: .* 4 sent, 0 failed, 0 pending of 4 .* via outbox /m)

    const server = await sink()
    const real = await send(root, { SMTP_URL: `smtp://127.0.0.1:${server.port}` })
    expect(real.code).toBe(0)
    expect(real.io.stdout).toMatch(/^Done: .* 4 sent, 0 failed, 0 pending of 4 .* via smtp:\/\/127\.0\.0\.1:\d+\.$/m)
    expect(server.accepted.sort()).toEqual(['dana.whitfield@example.com', 'lukas.berg@example.com', 'priya.raman@example.com', 'sam.okafor@example.com'])

    // A test send is recorded nowhere.
    await send(root, { SMTP_URL: `smtp://127.0.0.1:${server.port}` }, { recipients: undefined, to: 'tester@example.com' })
    const { code, io } = await report(root)
    expect(code).toBe(0)
    expect(io.stdout).toBe(
      [
        `2026-11 to smtp 127.0.0.1:${server.port}: 4 sent, 0 failed, 0 pending, 0 in doubt (of 4)`,
        '2026-11 to outbox (a trial: .eml files, nobody was mailed): 4 sent, 0 failed, 0 pending, 0 in doubt (of 4)',
        '',
      ].join('\n'),
    )
  })

  it('upgrades a ledger written before destinations: outbox rows stay a trial, SMTP rows are resumed, not resent', async () => {
    const root = await project()
    await writeFile(join(root, 'staff.csv'), 'email,name\nann@example.com,Ann\nbo@example.com,Bo\ncy@example.com,Cy\n')
    await mkdir(join(root, '.newsletter'))
    // The schema of the first version of the ledger, with one outbox trial and a half-finished real send.
    const old = new Database(join(root, '.newsletter/sends.sqlite'))
    old.exec(`
      CREATE TABLE recipients (slug TEXT NOT NULL, key TEXT NOT NULL, email TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, reply TEXT, updated_at TEXT NOT NULL, sent_at TEXT, PRIMARY KEY (slug, key)) WITHOUT ROWID;
      CREATE INDEX recipients_sent_at ON recipients (sent_at) WHERE sent_at IS NOT NULL;
      CREATE TABLE sends (slug TEXT PRIMARY KEY, digest TEXT NOT NULL, started_at TEXT NOT NULL);
      CREATE TABLE locks (slug TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL);
      INSERT INTO recipients VALUES ('2026-10', 'ann@example.com', 'ann@example.com', 'sent', 1, '250 written to dist/outbox/2026-10/ann@example.com.eml', '2026-10-01T09:00:00Z', '2026-10-01T09:00:00Z');
      INSERT INTO recipients VALUES ('2026-10', 'bo@example.com', 'bo@example.com', 'sent', 1, '250 2.0.0 OK queued', '2026-10-01T09:00:00Z', '2026-10-01T09:00:00Z');
      INSERT INTO recipients VALUES ('2026-10', 'cy@example.com', 'cy@example.com', 'pending', 1, '451 Try again later', '2026-10-01T09:00:00Z', NULL);
      INSERT INTO sends VALUES ('2026-10', 'sha256:old', '2026-10-01T09:00:00Z');
    `)
    old.close()
    const ledger = new Ledger(join(root, '.newsletter/sends.sqlite'))
    expect(ledger.destinations('2026-10')).toEqual([legacyDestination, 'outbox'])
    expect(ledger.rows('2026-10', 'outbox')).toMatchObject([{ email: 'ann@example.com', state: 'sent' }])
    expect(ledger.rows('2026-10', legacyDestination)).toMatchObject([
      { email: 'bo@example.com', state: 'sent' },
      { email: 'cy@example.com', state: 'pending' },
    ])
    expect(ledger.sendDigest('2026-10', legacyDestination)).toBe('sha256:old')
    ledger.adopt('2026-10', 'smtp relay.example.com:587')
    expect(ledger.destinations('2026-10')).toEqual(['smtp relay.example.com:587', 'outbox'])
    expect(ledger.counts('2026-10', 'smtp relay.example.com:587')).toMatchObject({ sent: 1, pending: 1 })
    expect(ledger.sendDigest('2026-10', 'smtp relay.example.com:587')).toBe('sha256:old')
    ledger.close()
  })
})

describe('a ledger that never surprises', () => {
  async function sent(root: string) {
    await writeFile(join(root, 'staff.csv'), 'email,name\nann@example.com,Ann\nbo@example.com,Bo\n')
    expect((await send(root, {})).code).toBe(0)
    return join(root, '.newsletter/sends.sqlite')
  }

  it('refuses a ledger that is not a database, in send and report, with exit 2 and what to do', async () => {
    const root = await project()
    await mkdir(join(root, '.newsletter'))
    await writeFile(join(root, '.newsletter/sends.sqlite'), 'this is not a database, just text that happens to be here '.repeat(100))
    await writeFile(join(root, 'staff.csv'), 'email,name\nann@example.com,Ann\n')
    for (const args of [
      ['send', '2026-11', '--recipients', 'staff.csv', '--yes'],
      ['report', '2026-11'],
    ]) {
      const result = await runCli(args, { cwd: root })
      expect(result.code).toBe(2)
      expect(result.stderr).toBe(
        'error: The ledger .newsletter/sends.sqlite is damaged or not a ledger (file is not a database)\n' +
          '  Keep a copy for the record, then recover what it holds: sqlite3 .newsletter/sends.sqlite ".recover" | sqlite3 recovered.sqlite, and pass --ledger recovered.sqlite\n',
      )
    }
  })

  it('refuses a ledger whose pages are damaged (integrity check) in send and report', async () => {
    const root = await project()
    const path = await sent(root)
    const db = new Database(path)
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    // Overwrite the second page (the recipients table's first page) with garbage, keeping the header intact.
    const file = await open(path, 'r+')
    await file.write(Buffer.alloc(4096, 0x5a), 0, 4096, 4096)
    await file.close()
    for (const args of [
      ['send', '2026-11', '--recipients', 'staff.csv', '--yes'],
      ['report', '2026-11'],
    ]) {
      const result = await runCli(args, { cwd: root })
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/^error: The ledger \.newsletter\/sends\.sqlite is damaged/)
      expect(result.stderr).toMatch(/sqlite3 \.newsletter\/sends\.sqlite "\.recover"/)
      expect(result.stderr).not.toMatch(/ at .*\.ts:\d+/)
    }
  })

  it('says so, after the summary, when the ledger was damaged during the send (a truncated WAL)', async () => {
    const root = await project()
    await writeFile(join(root, 'staff.csv'), `email,name\n${Array.from({ length: 300 }, (_, i) => `p${i}@example.com,P`).join('\n')}\n`)
    const server = await sink({ keep: false, onMessage: (count) => void (count === 100 && truncateSync(join(root, '.newsletter/sends.sqlite-wal'), 4096)) })
    const result = await runCli(['send', '2026-11', '--recipients', 'staff.csv', '--yes'], { cwd: root, env: { SMTP_URL: `smtp://127.0.0.1:${server.port}` } })
    expect(result.code).toBe(2)
    expect(result.stdout).toMatch(/^Done: .* 300 sent, 0 failed, 0 pending of 300 /m)
    expect(result.stderr).toMatch(
      // A line of its own: a slow run prints progress lines before it.
      /^error: The ledger \.newsletter\/sends\.sqlite is damaged \(SQLite integrity check: .+\), after this send: it may not hold what the summary above says was sent\n {2}Do not rerun with it, or people may be mailed twice\./m,
    )
    const report = await runCli(['report', '2026-11'], { cwd: root })
    expect(report.code).toBe(2)
    expect(report.stderr).toMatch(/^error: The ledger \.newsletter\/sends\.sqlite is damaged/)
  })

  it('refuses a read-only ledger with exit 2 and says to make it writable', { tags: ['process'] }, async () => {
    const root = await project()
    const path = await sent(root)
    await writeFile(join(root, 'staff.csv'), 'email,name\nann@example.com,Ann\nbo@example.com,Bo\ncy@example.com,Cy\n')
    // Root may write any file: run the CLI as nobody (65534), who may read the project but not the ledger.
    await chmod(root, 0o755)
    for (const name of ['.newsletter', 'content', 'content/issues']) await chmod(join(root, name), 0o755)
    await chmod(path, 0o444)
    const result = await spawnCli(['send', '2026-11', '--recipients', 'staff.csv', '--yes'], { cwd: root, uid: process.getuid?.() === 0 ? 65534 : undefined })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^error: The ledger \.newsletter\/sends\.sqlite cannot be written \(attempt to write a readonly database\)\n {2}Make it and its folder writable \(chmod u\+w \.newsletter\/sends\.sqlite \.newsletter\), or pass another --ledger FILE\n$/,
    )
  })

  it('lets report | head end early without a stack trace', { tags: ['process'] }, async () => {
    const root = await project()
    const path = await sent(root)
    const ledger = new Ledger(path)
    ledger.enrol(
      '2026-11',
      'smtp relay.example.com:25',
      'sha256:x',
      Array.from({ length: 20_000 }, (_, i) => ({ key: `p${i}@example.com`, email: `p${i}@example.com` })),
    )
    ledger.close()
    const result = await spawnCli(['report', '2026-11'], {
      cwd: root,
      onSpawn: (child) => child.stdout!.once('data', () => child.stdout!.destroy()),
    })
    expect(result.stderr).toBe('')
    expect(result.signal).toBeNull()
    // 0 when the pipe closed before the counts were known, else report's own 1 (recipients pending).
    expect([0, 1]).toContain(result.code)
  })
})

describe('one schema, in numbered steps', () => {
  async function folder(): Promise<string> {
    const root = await project()
    await mkdir(join(root, '.newsletter'))
    return join(root, '.newsletter')
  }

  /** What a ledger's schema is: its step, every table's columns and every index, to compare two ledgers. */
  function layout(path: string) {
    const db = new Database(path, { readonly: true })
    try {
      const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all() as string[]
      return {
        version: db.pragma('user_version', { simple: true }),
        tables: Object.fromEntries(tables.map((table) => [table, db.pragma(`table_info(${table})`)])),
        indexes: db.prepare(`SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`).all(),
      }
    } finally {
      db.close()
    }
  }

  async function newLedger(dir: string) {
    const path = join(dir, 'new.sqlite')
    new Ledger(path).close()
    return layout(path)
  }

  function refusal(open: () => unknown): { code: string; message: string; hint: string | undefined } {
    try {
      open()
    } catch (error) {
      if (error instanceof NewsletterError) return { code: error.code, message: error.message, hint: error.hint }
      throw error
    }
    throw new Error('the ledger was opened')
  }

  // The layout the ledger had from destinations until numbered steps: written by CREATE TABLE IF NOT EXISTS, no user_version.
  const destinations = `
    CREATE TABLE recipients (
      slug TEXT NOT NULL, destination TEXT NOT NULL, key TEXT NOT NULL, email TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
      reply TEXT, updated_at TEXT NOT NULL, sent_at TEXT,
      PRIMARY KEY (slug, destination, key)) WITHOUT ROWID;
    CREATE TABLE sends (slug TEXT NOT NULL, destination TEXT NOT NULL, digest TEXT NOT NULL, started_at TEXT NOT NULL, PRIMARY KEY (slug, destination));
    CREATE TABLE locks (slug TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL, renewed_at TEXT);
    CREATE INDEX recipients_sent_at ON recipients (sent_at) WHERE sent_at IS NOT NULL;
    INSERT INTO recipients VALUES ('2026-10-14-vpn', 'smtp relay.example.com:587', 'ann@example.com', 'Ann@example.com', 'sent', 1, '250 2.0.0 OK', '2026-10-14T09:00:00Z', '2026-10-14T09:00:00Z');
    INSERT INTO recipients VALUES ('2026-10-14-vpn.r2', 'smtp relay.example.com:587', 'ann@example.com', 'Ann@example.com', 'pending', 1, '451 Try again later', '2026-10-14T11:00:00Z', NULL);
    INSERT INTO recipients VALUES ('2026-10-14-vpn.r2', 'outbox', 'ann@example.com', 'Ann@example.com', 'sent', 1, '250 written to dist/outbox/ann@example.com.eml', '2026-10-14T10:00:00Z', '2026-10-14T10:00:00Z');
    INSERT INTO sends VALUES ('2026-10-14-vpn', 'smtp relay.example.com:587', 'sha256:first', '2026-10-14T09:00:00Z');
    INSERT INTO sends VALUES ('2026-10-14-vpn.r2', 'smtp relay.example.com:587', 'sha256:second', '2026-10-14T11:00:00Z');
    INSERT INTO locks VALUES ('2026-10-14-vpn', 4242, 'elsewhere', '2026-10-14T11:00:00Z', '2026-10-14T11:00:05Z');
  `
  const posts = `
    CREATE TABLE posts (slug TEXT NOT NULL, revision INTEGER NOT NULL, channel TEXT NOT NULL, posted_at TEXT NOT NULL, PRIMARY KEY (slug, revision, channel)) WITHOUT ROWID;
    INSERT INTO posts VALUES ('2026-10-14-vpn', 2, 'teams:IT_TEAMS_HOOK', '2026-10-14T11:05:00Z');
  `

  it.each([
    ['before channel posts', destinations, false],
    ['by the code before numbered steps (with posts)', destinations + posts, true],
  ])('opens a ledger written %s, keeps every row, and ends at the schema of a new ledger', async (_, sql, hasPosts) => {
    const dir = await folder()
    const path = join(dir, 'sends.sqlite')
    const old = new Database(path)
    old.exec(sql)
    const before = old.prepare('SELECT * FROM recipients ORDER BY 1, 2, 3').raw().all()
    old.close()

    const ledger = new Ledger(path)
    expect(ledger.revisions('2026-10-14-vpn')).toEqual([
      { sendKey: '2026-10-14-vpn', revision: 1 },
      { sendKey: '2026-10-14-vpn.r2', revision: 2 },
    ])
    expect(ledger.destinations('2026-10-14-vpn.r2')).toEqual(['smtp relay.example.com:587', 'outbox'])
    expect(ledger.counts('2026-10-14-vpn.r2', 'smtp relay.example.com:587')).toMatchObject({ total: 1, pending: 1 })
    expect(ledger.record('2026-10-14-vpn', 'smtp relay.example.com:587').state('ann@example.com')).toBe('sent')
    expect(ledger.sendDigest('2026-10-14-vpn.r2', 'smtp relay.example.com:587')).toBe('sha256:second')
    expect(ledger.posted('2026-10-14-vpn', 2, 'teams:IT_TEAMS_HOOK')).toBe(hasPosts)
    expect(() => ledger.lock('2026-10-14-vpn')).not.toThrow()
    ledger.unlock('2026-10-14-vpn')
    expect(ledger.db.prepare('SELECT * FROM recipients ORDER BY 1, 2, 3').raw().all()).toEqual(before)
    ledger.close()
    expect(layout(path)).toEqual(await newLedger(dir))
  })

  it('brings the first ledger (and one whose upgrade failed after posts was made) to the schema of a new ledger', async () => {
    // The code before numbered steps made the posts table before upgrading: a failed upgrade left the first layout with it.
    for (const extra of ['', posts]) {
      const dir = await folder()
      const path = join(dir, 'sends.sqlite')
      const old = new Database(path)
      old.exec(`
        CREATE TABLE recipients (slug TEXT NOT NULL, key TEXT NOT NULL, email TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, reply TEXT, updated_at TEXT NOT NULL, sent_at TEXT, PRIMARY KEY (slug, key)) WITHOUT ROWID;
        CREATE INDEX recipients_sent_at ON recipients (sent_at) WHERE sent_at IS NOT NULL;
        CREATE TABLE sends (slug TEXT PRIMARY KEY, digest TEXT NOT NULL, started_at TEXT NOT NULL);
        CREATE TABLE locks (slug TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL);
        INSERT INTO recipients VALUES ('2026-10', 'bo@example.com', 'bo@example.com', 'sent', 1, '250 2.0.0 OK queued', '2026-10-01T09:00:00Z', '2026-10-01T09:00:00Z');
        INSERT INTO sends VALUES ('2026-10', 'sha256:old', '2026-10-01T09:00:00Z');
        ${extra}
      `)
      old.close()
      const ledger = new Ledger(path)
      expect(ledger.rows('2026-10', legacyDestination)).toMatchObject([{ email: 'bo@example.com', state: 'sent' }])
      expect(ledger.posted('2026-10-14-vpn', 2, 'teams:IT_TEAMS_HOOK')).toBe(extra === posts)
      ledger.close()
      expect(layout(path)).toEqual(await newLedger(dir))
    }
  })

  it('refuses a ledger from a newer version, in send and report, with exit 2, and leaves it as it was', async () => {
    const root = await project()
    await writeFile(join(root, 'staff.csv'), 'email,name\nann@example.com,Ann\n')
    expect((await send(root, {})).code).toBe(0)
    const path = join(root, '.newsletter/sends.sqlite')
    const db = new Database(path)
    db.pragma(`user_version = ${migrations.length + 1}`)
    db.close()
    const bytes = await readFile(path)
    const message = `The ledger .newsletter/sends.sqlite was written by a newer version of newsletter (ledger schema ${migrations.length + 1}; this version knows up to ${migrations.length})`
    const result = await runCli(['send', '2026-11', '--recipients', 'staff.csv', '--yes'], { cwd: root })
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      `error: ${message}\n  Upgrade newsletter to the version that wrote it (git pull, then npm install) and rerun; this version left the ledger as it was\n`,
    )
    await expect(report(root)).rejects.toMatchObject({ code: 'refused', message })
    expect(await readFile(path)).toEqual(bytes)
  })

  it('refuses a ledger emptied to 0 bytes after a send, with exit 2, and mails nobody again', async () => {
    const root = await project()
    await writeFile(join(root, 'staff.csv'), 'email,name\nann@example.com,Ann\nbo@example.com,Bo\n')
    const server = await sink()
    const env = { SMTP_URL: `smtp://127.0.0.1:${server.port}` }
    expect((await send(root, env)).code).toBe(0)
    expect(server.accepted.sort()).toEqual(['ann@example.com', 'bo@example.com'])
    const path = join(root, '.newsletter/sends.sqlite')
    truncateSync(path, 0)
    const message = 'The ledger .newsletter/sends.sqlite is empty: it has no record of what was sent, so everyone would be mailed again'
    const result = await runCli(['send', '2026-11', '--recipients', 'staff.csv', '--yes'], { cwd: root, env })
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      `error: ${message}\n  Restore it from a backup. Delete it only if you are sure nothing was sent with it, or pass another --ledger FILE\n`,
    )
    await expect(send(root, env, { 'dry-run': true })).rejects.toMatchObject({ code: 'refused', message })
    await expect(report(root)).rejects.toMatchObject({ code: 'refused', message })
    expect(server.accepted).toHaveLength(2)
    expect((await stat(path)).size).toBe(0)
  })

  it('starts a new ledger only where there is no file: an SQLite file without tables, or with other tables, is refused', async () => {
    const dir = await folder()
    const empty = join(dir, 'empty.sqlite')
    const blank = new Database(empty)
    blank.exec('CREATE TABLE scratch (a); DROP TABLE scratch')
    blank.close()
    expect((await stat(empty)).size).toBeGreaterThan(0)
    expect(refusal(() => new Ledger(empty, 'empty.sqlite'))).toEqual({
      code: 'refused',
      message: 'The ledger empty.sqlite is empty: it has no record of what was sent, so everyone would be mailed again',
      hint: 'Restore it from a backup. Delete it only if you are sure nothing was sent with it, or pass another --ledger FILE',
    })
    const other = join(dir, 'notes.sqlite')
    const notes = new Database(other)
    notes.exec(`CREATE TABLE notes (text TEXT); CREATE TABLE tags (name TEXT)`)
    notes.close()
    expect(refusal(() => new Ledger(other, 'notes.sqlite'))).toEqual({
      code: 'refused',
      message: 'The ledger notes.sqlite is an SQLite database but not a send ledger (its tables: notes, tags)',
      hint: 'Pass the --ledger FILE your sends use, or a file that does not exist yet to start a new ledger',
    })
    expect(layout(other).tables).not.toHaveProperty('recipients')
    expect((await newLedger(dir)).version).toBe(migrations.length)
  })

  it('defines each ledger table once in src/: one CREATE TABLE per table', async () => {
    const { tables } = await newLedger(await folder())
    expect(Object.keys(tables)).toEqual(['locks', 'posts', 'recipients', 'sends'])
    const src = join(repo, 'src')
    const files = (await readdir(src, { recursive: true })).filter((name) => name.endsWith('.ts'))
    const text = (await Promise.all(files.map((name) => readFile(join(src, name), 'utf8')))).join('\n')
    for (const table of Object.keys(tables)) {
      expect([table, text.match(new RegExp(`CREATE TABLE (IF NOT EXISTS )?${table}\\b`, 'gi'))?.length ?? 0]).toEqual([table, 1])
    }
  })
})
