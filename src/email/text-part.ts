import { blockOrder, type IssueBlock, type Settings } from '../config.ts'
import {
  kickerOf,
  type Prose,
  type RenderedDoc,
  type RenderedIssueParts,
  type RenderedNoticeParts,
  type RenderedUpdate,
  type Section,
} from '../markdown/parts.ts'
import type { RenderedNumbers } from '../markdown/numbers-parts.ts'
import { blocksText, inlineText, LinkRefs, textWidth, wrap } from '../markdown/plain-text.ts'
import type { EmailUrls } from './urls.ts'

/** The plain-text part, written from the same rendered parts as the HTML (never scraped from it). */
export function renderText(doc: RenderedDoc, settings: Settings, urls: EmailUrls): string {
  const refs = new LinkRefs()
  // Prose under a label (`Impact: …`): the first line starts with the label, the rest are indented.
  const say = (prose: Prose, indent = '', first = indent) => {
    const only = prose.nodes[0]
    if (prose.inline && only?.type === 'paragraph') return wrap(inlineText(only.children, refs), indent, first)
    return first + blocksText(prose.nodes, refs, indent).slice(indent.length)
  }
  const out: string[] = []
  const kicker = kickerOf(doc)
  out.push(`${settings.organisation} IT · ${kicker} · ${doc.dateLabel}`)
  const notice = doc.notice
  if (notice) out.push(`${notice.stateLabel}${notice.sinceLabel ? ` since ${notice.sinceLabel}` : ''}`)
  const title = wrap(doc.title)
  out.push(`${title}\n${'='.repeat(Math.min(Math.max(...title.split('\n').map((line) => line.length)), textWidth))}`)
  if (notice) out.push(noticeFacts(notice))
  out.push(say(doc.summary))

  const sections = (list: readonly Section[]) => {
    for (const section of list) {
      const body = blocksText(section.nodes, refs)
      out.push(section.title ? `${heading(section.title)}\n\n${body}` : body)
    }
  }
  const issueBlock = (issue: RenderedIssueParts, block: Exclude<IssueBlock, 'lead' | 'body'>) => {
    if (block === 'threat' && issue.threat) {
      const { threat } = issue
      const lines = [heading(`Threat of the month: ${threat.name}`), say(threat.summary)]
      if (threat.signs.length) lines.push(['How to spot it:', ...threat.signs.map((sign) => say(sign, '  ', '- '))].join('\n'))
      if (threat.actions.length) lines.push(['What to do:', ...threat.actions.map((action) => say(action, '  ', '- '))].join('\n'))
      if (threat.report) lines.push(`Report it: ${threat.report.replace(/^mailto:/, '')}`)
      out.push(lines.join('\n\n'))
    }
    if (block === 'patches' && issue.patches.length) {
      const rows = issue.patches.map((patch) => {
        const about = [patch.product, patch.id].filter(Boolean).join(' · ')
        const facts = [
          patch.severity && `Severity: ${capitalize(patch.severity)}`,
          patch.rolloutLabel && `When: ${patch.rolloutLabel}`,
          patch.restart !== undefined && `Restart: ${patch.restart ? 'Yes' : 'No'}`,
        ].filter(Boolean)
        const lines = [wrap(`${patch.title}${about ? ` (${about})` : ''}`, '  ', '- ')]
        if (facts.length) lines.push(wrap(facts.join(' · '), '  '))
        if (patch.action) lines.push(say(patch.action, '    ', '  What you need to do: '))
        return lines.join('\n')
      })
      out.push([heading('Patches and restarts'), ...rows].join('\n\n'))
    }
    if (block === 'top_question' && issue.topQuestion) {
      const { topQuestion } = issue
      const asked = topQuestion.asked ? ` (asked ${topQuestion.asked} times)` : ''
      out.push([heading(`Top question to the helpdesk${asked}`), wrap(topQuestion.question), say(topQuestion.answer)].join('\n\n'))
    }
    if (block === 'numbers' && issue.numbers) out.push(numbersText(issue.numbers))
    if (block === 'priorities' && issue.priorities?.length) {
      const rows = issue.priorities.map((priority, i) => {
        const head = wrap(priority.title, '   ', `${i + 1}. `)
        return priority.why ? `${head}\n${say(priority.why, '   ')}` : head
      })
      out.push([heading('What IT is working on, in order'), ...rows].join('\n\n'))
    }
    if (block === 'projects' && issue.projects.length) {
      const rows = issue.projects.map((project) => {
        const head = wrap(`${project.name}: ${project.statusLabel}${project.etaLabel ? `, expected ${project.etaLabel}` : ''}`, '  ', '- ')
        return [head, project.summary && say(project.summary, '  '), project.why && say(project.why, '    ', '  Why: ')].filter(Boolean).join('\n')
      })
      out.push([heading('Where our projects stand'), ...rows].join('\n\n'))
    }
    if (block === 'incidents' && issue.incidents.length) {
      const rows = issue.incidents.map((incident) =>
        [
          wrap(`${incident.service}, ${incident.when}`, '  ', '- '),
          say(incident.impact, '    ', '  Impact: '),
          incident.cause && say(incident.cause, '    ', '  Cause: '),
          incident.fix && say(incident.fix, '    ', '  Fix: '),
        ]
          .filter(Boolean)
          .join('\n'),
      )
      out.push([heading('Incidents since the last issue'), ...rows].join('\n\n'))
    }
  }
  // The parts of an issue in the settings' order, as in the HTML: the lead story, the blocks, the rest of the body.
  const issue = doc.issue
  if (issue) {
    for (const block of blockOrder(settings.order)) {
      if (block === 'lead') sections(doc.sections.slice(0, 1))
      else if (block === 'body') sections(doc.sections.slice(1))
      else issueBlock(issue, block)
    }
  }
  if (notice) {
    // A resolved notice leads with what happened and what changes; an open one with the latest news.
    if (notice.closed) sections(doc.sections)
    const update = (u: RenderedUpdate) => `${u.timeLabel}${u.stateLabel ? ` · ${u.stateLabel}` : ''}\n${say(u.text)}`
    if (notice.latest) out.push(`${heading('Latest update')}\n\n${update(notice.latest)}`)
    const facts = [wrap(`Service: ${notice.service}`, '  ', ''), say(notice.impact, '  ', 'Impact: ')]
    if (notice.workaround && !notice.closed) facts.push(say(notice.workaround, '  ', 'Workaround: '))
    out.push(facts.join('\n'))
    if (notice.earlier.length) out.push([heading('Earlier updates'), ...notice.earlier.map(update)].join('\n\n'))
    if (!notice.closed) sections(doc.sections)
  }
  const mine = doc.edition?.contact
  if (mine) {
    const lines = [mine.name, `Email: ${mine.email}`, mine.phone && `Phone: ${mine.phone}`].filter(Boolean)
    out.push(`${heading(`Your IT contact for ${doc.edition!.department.name}`)}\n\n${lines.join('\n')}`)
  }
  const contact = settings.contact
  out.push(
    [
      heading('How to reach IT'),
      [
        contact.portal && `Service portal: ${contact.portal}`,
        `Email: ${contact.email}`,
        contact.phone && `Phone: ${contact.phone}`,
        contact.hours && `Hours: ${contact.hours}`,
      ]
        .filter(Boolean)
        .join('\n'),
      `Was this useful?\nYes, this helped [${refs.ref(urls.feedbackYes)}] / No [${refs.ref(urls.feedbackNo)}]\nAsk IT a question [${refs.ref(urls.ask)}]`,
      `View this email in your browser:\n${urls.browser}\nPast issues and notices:\n${urls.archive}`,
    ].join('\n\n'),
  )
  if (refs.urls.length) out.push(linkList(refs.urls))
  return out.filter((chunk) => chunk.trim() !== '').join('\n\n') + '\n'
}

/** IT by the numbers as aligned rows: the figures, then each category's count, a bar of `#` and its share. */
function numbersText(numbers: RenderedNumbers): string {
  const parts = [heading(`IT by the numbers: ${numbers.periodLabel}`)]
  const labelWidth = Math.max(...numbers.figures.map((figure) => figure.label.length)) + 1
  const valueWidth = Math.max(...numbers.figures.map((figure) => figure.value.length))
  parts.push(
    numbers.figures
      .map((figure) => `${`${figure.label}:`.padEnd(labelWidth)} ${figure.value.padStart(valueWidth)}${figure.change ? `  ${figure.change}` : ''}`)
      .join('\n'),
  )
  if (numbers.categories.length) {
    const nameWidth = Math.min(Math.max(...numbers.categories.map((category) => category.name.length)), 30)
    const countWidth = Math.max(...numbers.categories.map((category) => String(category.count).length))
    // 20 characters for 100%: the rows stay inside 78 characters with a 30-character name.
    const rows = numbers.categories.map((category) => {
      const name = category.name.length > nameWidth ? `${category.name.slice(0, nameWidth - 1)}…` : category.name.padEnd(nameWidth)
      const bar = '#'.repeat(Math.round(category.percent / 5)).padEnd(20)
      return `${name}  ${String(category.count).padStart(countWidth)}  ${bar}  ${String(category.percent).padStart(3)}%`
    })
    parts.push(['What people asked about:', ...rows].join('\n'))
  }
  if (numbers.channels.length) parts.push(wrap(`How people asked: ${numbers.channels.map((channel) => `${channel.name} ${channel.count}`).join(' · ')}`))
  if (numbers.followUp) parts.push(wrap(`Did last issue's answer work? ${numbers.followUp.text}: tickets in ${numbers.periodLabel} against the month before.`))
  if (numbers.avoidable) {
    const trend =
      numbers.avoidable.trend.length > 1
        ? `\n${wrap(`Share of tickets, last ${numbers.avoidable.trend.length} issues: ${numbers.avoidable.trend.map((point) => `${point.label} ${point.percent}%`).join(' · ')}`)}`
        : ''
    parts.push(`${wrap(`Calls you could avoid: ${numbers.avoidable.text}`)}${trend}`)
  }
  return parts.join('\n\n')
}

function heading(title: string): string {
  const upper = wrap(title.toUpperCase())
  return `${upper}\n${'-'.repeat(Math.min(Math.max(...upper.split('\n').map((line) => line.length)), textWidth))}`
}

/** The notice's facts as the email's fact block gives them: when it is back and when we say more, or when the work is. */
function noticeFacts(notice: RenderedNoticeParts): string {
  const facts: string[] = []
  if (!notice.closed && notice.noticeKind === 'incident') facts.push(`Expected back: ${notice.expectedBackLabel ?? 'not known yet'}`)
  if (!notice.closed && notice.nextUpdateLabel) facts.push(`Next update: ${notice.nextUpdateLabel}`)
  if (notice.window) facts.push(`When: ${notice.window.range}`, 'A calendar invite is attached.')
  return facts.join('\n')
}

// RFC 5322 keeps lines to 78 characters; a long URL may not be broken, so it gets a line of its own.
function linkList(urls: readonly string[]): string {
  const lines = urls.map((url, i) => (`[${i + 1}] ${url}`.length <= maxLine ? `[${i + 1}] ${url}` : `[${i + 1}]\n${url}`))
  return ['Links:', ...lines].join('\n')
}

const maxLine = 78

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}
