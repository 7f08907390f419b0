import { findProject, sameName } from '../content/project-history.ts'
import type { ProjectStatus } from '../content/types.ts'
import { uniqueId, type Prose, type RenderedProject } from '../markdown/parts.ts'

/** The issue an entry comes from, as the history pages link to it. */
export interface HistorySource {
  title: string
  href: string
  date: string
  dateLabel: string
  draft: boolean
}

/** An issue as the history pages read it: where it is and its rendered projects and priorities. */
export interface HistoryIssue {
  source: HistorySource
  projects: readonly RenderedProject[]
  priorities?: readonly { title: string; why?: Prose }[]
}

/** A project as one issue reported it. */
export interface ProjectStep {
  source: HistorySource
  name: string
  status: ProjectStatus
  statusLabel: string
  etaLabel?: string
  /** The expected date as the issue before said it, when this issue moved it. */
  etaWas?: string
  /** The status as the issue before said it, when this issue changed it. */
  statusWas?: string
  summary?: Prose
  why?: Prose
}

/** One project across every issue that reported it. */
export interface ProjectStory {
  /** Anchor on the projects page. */
  anchor: string
  /** The name in the latest issue. */
  name: string
  status: ProjectStatus
  statusLabel: string
  /** When the latest issue says `done`: the issue that first said so (since it last was not). */
  done?: HistorySource
  /** Newest first. */
  steps: ProjectStep[]
}

/**
 * Every project's story, the most recently reported first: the issues are matched by `id` when given, otherwise by name
 * (see findProject). `issues` may come in any order.
 */
export function projectStories(issues: readonly HistoryIssue[]): ProjectStory[] {
  const groups: { id?: string; name: string; steps: ProjectStep[]; eta?: string; latest: string }[] = []
  for (const issue of [...issues].sort((a, b) => a.source.date.localeCompare(b.source.date))) {
    const taken = new Set<(typeof groups)[number]>()
    for (const project of issue.projects) {
      let group = findProject(
        project,
        groups.filter((candidate) => !taken.has(candidate)),
      )
      if (!group) {
        group = { name: project.name, steps: [], latest: issue.source.date }
        groups.push(group)
      }
      taken.add(group)
      const before = group.steps[0]
      group.steps.unshift({
        source: issue.source,
        name: project.name,
        status: project.status,
        statusLabel: project.statusLabel,
        etaLabel: project.etaLabel,
        etaWas: before?.etaLabel && project.etaLabel && group.eta !== project.eta ? before.etaLabel : undefined,
        statusWas: before && before.status !== project.status ? before.statusLabel : undefined,
        summary: project.summary,
        why: project.why,
      })
      Object.assign(group, { id: project.id ?? group.id, name: project.name, eta: project.eta, latest: issue.source.date })
    }
  }
  const used = new Set<string>()
  return groups
    .sort((a, b) => b.latest.localeCompare(a.latest) || a.name.localeCompare(b.name))
    .map((group) => {
      const [latest] = group.steps as [ProjectStep, ...ProjectStep[]]
      const notDone = group.steps.findIndex((step) => step.status !== 'done')
      const done = latest.status === 'done' ? group.steps[(notDone === -1 ? group.steps.length : notDone) - 1]!.source : undefined
      return {
        anchor: uniqueId(`project ${group.id ?? group.name}`, used),
        name: group.name,
        status: latest.status,
        statusLabel: latest.statusLabel,
        done,
        steps: group.steps,
      }
    })
}

/** One priority in one issue's list, and how it moved since the list before. */
export interface PriorityStep {
  rank: number
  title: string
  why?: Prose
  /** `New`, `Up 2`, `Down 1` or `Same`; absent in the first list. */
  change?: string
}

/** One issue's list of priorities, with what dropped off since the list before. */
export interface PriorityListing {
  source: HistorySource
  items: PriorityStep[]
  dropped: string[]
}

/** Every list of priorities, newest first, each compared with the list before it (issues that say none are skipped). */
export function priorityHistory(issues: readonly HistoryIssue[]): PriorityListing[] {
  const listings: PriorityListing[] = []
  let before: readonly { title: string }[] | undefined
  for (const issue of [...issues].sort((a, b) => a.source.date.localeCompare(b.source.date))) {
    if (!issue.priorities) continue
    const now = issue.priorities
    const items = now.map((priority, index): PriorityStep => {
      const rank = index + 1
      if (!before) return { rank, title: priority.title, why: priority.why }
      const was = before.findIndex((old) => sameName(old.title, priority.title)) + 1
      const change = was === 0 ? 'New' : was > rank ? `Up ${was - rank}` : was < rank ? `Down ${rank - was}` : 'Same'
      return { rank, title: priority.title, why: priority.why, change }
    })
    const dropped = (before ?? []).filter((old) => !now.some((priority) => sameName(old.title, priority.title))).map((old) => old.title)
    listings.push({ source: issue.source, items, dropped })
    before = now
  }
  return listings.reverse()
}
