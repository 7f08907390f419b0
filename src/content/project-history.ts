import type { ProjectEntry, ProjectStatus } from './types.ts'

/** How readers see each status. */
export const projectLabels: Record<ProjectStatus, string> = {
  planned: 'Planned',
  'on-track': 'On track',
  'at-risk': 'At risk',
  delayed: 'Delayed',
  done: 'Done',
}

/** What tells a project apart from the others across issues: its `id` when it has one, else its name. */
export interface ProjectName {
  id?: string
  name: string
}

/** True when two names are the same as compared across issues: case and runs of spaces are ignored. */
export function sameName(a: string, b: string): boolean {
  const key = (name: string) => name.toLowerCase().replace(/\s+/g, ' ').trim()
  return key(a) === key(b)
}

/**
 * The one of `among` that is the same project as `entry`: the same `id`, or else the same name where one of the two has
 * no id (an id written for the first time, or left off once, still finds the project's earlier entries).
 */
export function findProject<T extends ProjectName>(entry: ProjectName, among: readonly T[]): T | undefined {
  const byId = entry.id === undefined ? undefined : among.find((other) => other.id === entry.id)
  return byId ?? among.find((other) => (other.id === undefined || entry.id === undefined) && sameName(other.name, entry.name))
}

// How much trouble a status means; a move to a higher number is worse. Planned, on track and done are all fine, but
// leaving `done` (the project reopened) is worse too.
const trouble: Record<ProjectStatus, number> = { planned: 0, 'on-track': 0, done: 0, 'at-risk': 1, delayed: 2 }

/** How a project got worse since the previous issue: its status, its expected date, or both. */
export interface Slip {
  status?: { from: ProjectStatus; to: ProjectStatus }
  eta?: { from: string; to: string }
}

/** What got worse from `before` to `now`, or nothing when neither the status got worse nor the date moved later. */
export function slipOf(before: Pick<ProjectEntry, 'status' | 'eta'>, now: Pick<ProjectEntry, 'status' | 'eta'>): Slip | undefined {
  const slip: Slip = {}
  if (trouble[now.status] > trouble[before.status] || (before.status === 'done' && now.status !== 'done')) slip.status = { from: before.status, to: now.status }
  if (now.status !== 'done' && before.eta && now.eta && isLater(before.eta, now.eta)) slip.eta = { from: before.eta, to: now.eta }
  return slip.status || slip.eta ? slip : undefined
}

// A month (2027-01) is any day in it: a date in that month is not later, a date in the next month is.
function isLater(before: string, now: string): boolean {
  return before.length === now.length ? now > before : now.slice(0, 7) > before.slice(0, 7)
}

/** The issue before another, as the project checks compare with it. */
export interface PreviousIssue {
  slug: string
  projects: readonly ProjectEntry[]
}

/** An issue's number and projects, as read (or peeked at, for a file a command does not act on). */
export interface IssueProjects extends PreviousIssue {
  path: string
  number: number
}

/** For each issue's path, the issue numbered just before it (the highest lower number). */
export function previousIssues(issues: readonly IssueProjects[]): Map<string, PreviousIssue> {
  const ordered = [...issues].sort((a, b) => a.number - b.number)
  const previous = new Map<string, PreviousIssue>()
  let before: IssueProjects | undefined
  ordered.forEach((issue, index) => {
    // Two issues of one number are an error of their own (front-matter/issue): neither is the other's previous.
    if (index > 0 && ordered[index - 1]!.number < issue.number) before = ordered[index - 1]
    if (before) previous.set(issue.path, { slug: before.slug, projects: before.projects })
  })
  return previous
}
