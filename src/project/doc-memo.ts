import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { JsonMessage } from '../check/messages.ts'
import type { Source } from '../content/load.ts'
import type { EmailArtifact } from '../email/build-email.ts'
import type { RenderedView } from '../markdown/parts.ts'
import { DiskCache, hashOf } from './cache.ts'
import { previousAnswers, type Peeked, type Project } from './project.ts'
import { writeAtomic } from './write.ts'

/** An email as the build writes it (the MJML it came from is for the preview only). */
export type BuiltEmail = Omit<EmailArtifact, 'mjml'>

/** What one document gave a build: every message on it, and its rendering and email when it is published. */
export interface DocResult {
  messages: JsonMessage[]
  rendered?: RenderedView
  email?: BuiltEmail
}

/** What the index keeps of each content file: the hash of its bytes, what the project needs of it, and its result's key. */
interface IndexEntry {
  text: string
  peeked: Peeked
  key: string
}

/**
 * What a build keeps of each document between runs, under `.newsletter/cache/docs/`, so that a build after a change
 * parses, renders and checks only the documents the change can reach. A document's result is reused when its key is
 * unchanged: its own bytes, its path, everything every document depends on ({@link sharedKey}) and what it reads of
 * the issue before it (projects, readers' answers).
 */
export class DocMemo {
  private readonly results: DiskCache<DocResult>

  private constructor(
    private readonly indexFile: string,
    private readonly index: Map<string, IndexEntry>,
    private readonly texts: Map<string, string>,
    dir: string,
  ) {
    this.results = new DiskCache<DocResult>(dir)
  }

  /** Open the memo of `cacheDir` and hash the bytes of every listed content file. */
  static async open(cacheDir: string, listed: readonly Source[]): Promise<DocMemo> {
    const indexFile = join(cacheDir, 'docs.json')
    const index = await readFile(indexFile, 'utf8').then(
      (text) => new Map(Object.entries(JSON.parse(text) as Record<string, IndexEntry>)),
      () => new Map<string, IndexEntry>(),
    )
    const texts = new Map(await Promise.all(listed.map(async (source) => [source.path, hashOf(await readFile(source.abs, 'latin1').catch(() => ''))] as const)))
    return new DocMemo(indexFile, index, texts, join(cacheDir, 'docs'))
  }

  /** The files whose bytes are not those of the last build: they are always parsed. */
  changed(): Set<string> {
    return new Set([...this.texts].filter(([path, text]) => this.index.get(path)?.text !== text).map(([path]) => path))
  }

  /** What the last build knew of a file whose bytes are unchanged. */
  known(source: Source): Peeked | undefined {
    const entry = this.index.get(source.path)
    return entry && entry.text === this.texts.get(source.path) ? entry.peeked : undefined
  }

  /** The key of a document's result in this project, given what the project needs of every file. */
  keyOf(path: string, project: Project, shared: string, peeked: Peeked): string {
    const number = peeked.number?.number
    const before = number === undefined ? null : (previousAnswers(project)(number) ?? null)
    return hashOf(shared, path, this.texts.get(path) ?? '', JSON.stringify(project.previousProjects.get(path) ?? null), JSON.stringify(before))
  }

  get(key: string): Promise<DocResult | undefined> {
    return this.results.get(key)
  }

  set(key: string, result: DocResult): Promise<void> {
    return this.results.set(key, result)
  }

  /** Record this build's files and keys, and drop the results no file has any more. */
  async save(entries: ReadonlyMap<string, { peeked: Peeked; key: string }>): Promise<void> {
    const index: Record<string, IndexEntry> = {}
    for (const [path, { peeked, key }] of entries) index[path] = { text: this.texts.get(path) ?? '', peeked, key }
    await writeAtomic(this.indexFile, JSON.stringify(index))
    await this.results.prune()
  }
}

/**
 * What every document's result depends on besides its own text: the program, the settings, glossary, departments,
 * layouts and answers, the approvers file, the date, whether drafts are built, which pages links may point to, and
 * the figures of every approved issue.
 */
export function sharedKey(parts: { code: string; project: Project; drafts: boolean; today: string; approvers: string }): string {
  const { project } = parts
  const figures = [...project.figures].sort((a, b) => a.slug.localeCompare(b.slug))
  return hashOf(
    parts.code,
    project.contextHash,
    String(parts.drafts),
    parts.today,
    parts.approvers,
    [...project.pages].sort().join('\n'),
    JSON.stringify(figures),
  )
}
