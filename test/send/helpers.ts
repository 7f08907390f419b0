import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'
import { afterEach } from 'vitest'
import type { Io } from '../../src/io.ts'
import { approveText } from '../../src/content/approval.ts'
import { runCli as runCliInProcess, type CliResult } from '../helpers/project.ts'
import { sampleContent } from '../helpers/render.ts'

/** The repository root (layouts and sample content come from here). */
export const repo = resolve(import.meta.dirname, '../..')

/** A throwaway project: the sample settings plus `send:` lines, one approved issue, the real layouts. */
export async function makeProject(options: { send?: string; slug?: string; edit?: (text: string) => string; approve?: boolean } = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'newsletter-send-'))
  const slug = options.slug ?? '2026-11'
  await mkdir(join(root, 'content/issues'), { recursive: true })
  const settings = (await readFile(join(sampleContent, 'settings.yml'), 'utf8')).replace(/^send:[\s\S]*$/m, '')
  await writeFile(join(root, 'content/settings.yml'), `${settings}send:\n  allowed_domains: [example.com]\n${options.send ?? ''}`)
  let text = await readFile(join(sampleContent, 'issues/2026-11.md'), 'utf8')
  if (options.edit) text = options.edit(text)
  if (options.approve ?? true) text = approveText(text, { by: 'Test Approver', at: '2026-11-02T09:00' })
  await writeFile(join(root, 'content/issues', `${slug}.md`), text)
  await symlink(join(repo, 'layouts'), join(root, 'layouts'))
  return root
}

/** Delete a project made by makeProject. */
export async function removeProject(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true })
}

/** An Io that keeps what was printed. */
export function collect(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (text: string) => void (io.stdout += `${text}\n`),
    err: (text: string) => void (io.stderr += `${text}\n`),
  }
  return io
}

/** What a test SMTP server received: every accepted message, parsed. */
export interface Sink {
  server: SMTPServer
  port: number
  messages: ParsedMail[]
  /** Every RCPT TO seen, accepted or not. */
  attempts: string[]
  /** The recipient of every accepted message, duplicates included. */
  accepted: string[]
  /** Die like a crashed server: cut every connection and stop listening, at once. */
  kill(): void
  close(): Promise<void>
}

/**
 * A real smtp-server on port 0. `reply` decides per recipient and attempt: undefined accepts,
 * a number rejects with that SMTP code ({ code, text } with that wording too), 'drop' accepts the DATA
 * and then cuts the connection.
 */
export async function startSink(
  options: {
    reply?: (to: string, attempt: number) => number | { code: number; text: string } | 'drop' | undefined
    auth?: { user: string; pass: string }
    keep?: boolean
    onMessage?: (count: number) => void
  } = {},
): Promise<Sink> {
  const messages: ParsedMail[] = []
  const attempts: string[] = []
  const accepted: string[] = []
  const tries = new Map<string, number>()
  const config: SMTPServerOptions = {
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    // No reverse DNS for 127.0.0.1: without network it only adds a timeout to every connection.
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      if (auth.username === options.auth?.user && auth.password === options.auth?.pass) callback(null, { user: auth.username })
      else callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }))
    },
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo[0]!.address
      const attempt = (tries.get(to) ?? 0) + 1
      tries.set(to, attempt)
      attempts.push(to)
      const reply = options.reply?.(to, attempt)
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        if (typeof reply === 'number') {
          callback(Object.assign(new Error(reply >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: reply }))
          return
        }
        if (typeof reply === 'object') {
          callback(Object.assign(new Error(reply.text), { responseCode: reply.code }))
          return
        }
        if (reply === 'drop') {
          // Cut the connection after the data arrived but before the reply: the sender cannot know.
          for (const connection of connectionsOf(server)) if (connection.id === session.id) connection._socket.destroy()
          return
        }
        if (options.keep ?? true) messages.push(await simpleParser(Buffer.concat(chunks)))
        accepted.push(to)
        callback()
        options.onMessage?.(accepted.length)
      })
    },
  }
  const server = new SMTPServer(config)
  server.on('error', ignoreReset)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const port = (server.server.address() as AddressInfo).port
  let killed = false
  const kill = () => {
    killed = true
    server.server.close()
    for (const connection of connectionsOf(server)) connection._socket.destroy()
  }
  return {
    server,
    port,
    messages,
    attempts,
    accepted,
    kill,
    close: () => (killed ? Promise.resolve() : new Promise<void>((done) => server.close(() => done()))),
  }
}

// smtp-server keeps its open connections in a private set; the fault injection needs their sockets.
function connectionsOf(server: SMTPServer): Set<{ id: string; _socket: { destroy(): void } }> {
  return (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections
}

/**
 * A client killed mid-send (the SIGKILL test) or giving up on a silent server resets its connection; the server
 * side reports that as an error event. Any other error is still thrown, so a real fault fails the run.
 */
export function ignoreReset(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error
}

/**
 * Run the real `newsletter` CLI in a child process in `cwd`, for what only a process shows: a signal (`onSpawn` gets
 * the child), another user (`uid`), a lock held by another process id, a pipe closed early. Everything else uses runCli.
 */
export function spawnCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; onSpawn?: (child: ChildProcess) => void; uid?: number },
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(repo, 'src/bin.js'), ...args], {
    cwd: options.cwd,
    env: { ...process.env, SMTP_URL: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: options.uid,
    gid: options.uid,
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  options.onSpawn?.(child)
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })))
}

/** Run `newsletter …` in this process (test/helpers/project.ts), with no SMTP_URL from the environment unless `env` gives one. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return runCliInProcess(options.cwd, args, { SMTP_URL: '', ...options.env })
}

/**
 * Per-file scaffolding: projects and sinks made through it are removed after each test, and `cleanups`
 * takes any other teardown. `defaults` are the project options every test in the file starts from.
 */
export function scaffold(defaults: Parameters<typeof makeProject>[0] = {}) {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  return {
    cleanups,
    async project(options: Parameters<typeof makeProject>[0] = {}): Promise<string> {
      const root = await makeProject({ ...defaults, ...options })
      cleanups.push(() => removeProject(root))
      return root
    },
    async sink(options: Parameters<typeof startSink>[0] = {}): Promise<Sink> {
      const started = await startSink(options)
      cleanups.push(() => started.close())
      return started
    },
  }
}
