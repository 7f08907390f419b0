import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { VFile } from 'vfile'
import { report } from '../errors.ts'
import { decodeText } from './decode.ts'
import type { InferFields } from './schema.ts'
import { readYaml } from './yaml.ts'

const count = { spec: { kind: 'integer', min: 0 }, default: 0 } as const
const id = { spec: { kind: 'string' }, required: true } as const

/** The keys of `content/feedback/<slug>.yml`: what `feedback import` counted for one issue. Counts only, never who. */
export const feedbackFields = {
  yes: count,
  no: count,
  /** Replies that said something besides the tap (the texts are in the `--comments` file, never here). */
  comments: count,
  sections: { spec: { kind: 'list', of: { kind: 'object', fields: { id, yes: count, no: count, comments: count } } }, default: [] },
  /** Per department, only for a department with at least `minGroup` answers. */
  departments: { spec: { kind: 'list', of: { kind: 'object', fields: { id, yes: count, no: count } } }, default: [] },
} as const

/** One issue's counted answers, as `content/feedback/<slug>.yml` holds them. */
export type FeedbackCounts = InferFields<typeof feedbackFields>

/** The folder of the counted answers, relative to the content folder. */
export const feedbackDir = 'feedback'

/** No figure is shown for a department with fewer answers than this: a small group's answers could name people. */
export const minGroup = 5

/** Every issue's counted answers by slug, and the files read (with their problems). */
export interface FeedbackResults {
  files: VFile[]
  bySlug: Map<string, FeedbackCounts>
  /** The files' texts, for fingerprints. */
  texts: string[]
}

/** Read `content/feedback/*.yml`; a missing folder means no answers yet. */
export async function loadFeedback(contentDir: string, root: string): Promise<FeedbackResults> {
  const dir = join(contentDir, feedbackDir)
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.yml') && !name.startsWith('.')).sort()
  const results: FeedbackResults = { files: [], bySlug: new Map(), texts: [] }
  for (const name of names) {
    const shown = relative(root, join(dir, name))
    const bytes = await readFile(join(dir, name)).catch((error: Error) => error)
    if (bytes instanceof Error) {
      const file = new VFile({ path: shown })
      report(file, 'error', `The feedback file could not be read: ${bytes.message}`, 'feedback/unreadable', { line: 1, column: 1 })
      results.files.push(file)
      continue
    }
    const text = decodeText(bytes).text
    const { file, counts } = parseFeedback(shown, text)
    results.files.push(file)
    results.texts.push(name, text)
    if (counts) results.bySlug.set(name.slice(0, -'.yml'.length), counts)
  }
  return results
}

/** Parse and validate one feedback file; problems go on the returned file with positions. */
export function parseFeedback(path: string, text: string): { file: VFile; counts?: FeedbackCounts } {
  const file = new VFile({ path, value: text })
  const read = readYaml(file, text, text, 0, { kind: 'object', fields: feedbackFields }, 'feedback')
  return read?.valid ? { file, counts: read.value } : { file }
}

/** How many people answered, and how many of them said it helped. */
export function answersOf(counts: Pick<FeedbackCounts, 'yes' | 'no'>): number {
  return counts.yes + counts.no
}

/** The text of a feedback file: a comment saying what it is, then the counts, in a fixed order (a re-import that counts the same writes the same bytes). */
export function formatFeedback(slug: string, counts: FeedbackCounts): string {
  const lines = [
    `# Answers to the feedback buttons of ${slug}, counted by \`newsletter feedback import\`.`,
    '# Counts only: who answered is never written here. Departments with fewer than 5 answers are not shown.',
    `yes: ${counts.yes}`,
    `no: ${counts.no}`,
    `comments: ${counts.comments}`,
  ]
  lines.push(counts.sections.length > 0 ? 'sections:' : 'sections: []')
  for (const section of counts.sections) lines.push(`  - { id: ${section.id}, yes: ${section.yes}, no: ${section.no}, comments: ${section.comments} }`)
  lines.push(counts.departments.length > 0 ? 'departments:' : 'departments: []')
  for (const department of counts.departments) lines.push(`  - { id: ${department.id}, yes: ${department.yes}, no: ${department.no} }`)
  return `${lines.join('\n')}\n`
}
