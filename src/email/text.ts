import type { Settings } from '../config.ts'
import { kickerOf, type RenderedDoc, type RenderedUpdate, type Prose } from '../markdown/parts.ts'
import { blocksText, inlineText, LinkRefs, textWidth, wrap } from '../markdown/text.ts'
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
  out.push(`${doc.title}\n${'='.repeat(Math.min(doc.title.length, textWidth))}`)
  out.push(say(doc.summary))

  const issue = doc.issue
  if (issue?.threat) {
    const { threat } = issue
    const lines = [heading(`Threat of the month: ${threat.name}`), say(threat.summary)]
    if (threat.signs.length) lines.push(['How to spot it:', ...threat.signs.map((sign) => say(sign, '  ', '- '))].join('\n'))
    if (threat.actions.length) lines.push(['What to do:', ...threat.actions.map((action) => say(action, '  ', '- '))].join('\n'))
    if (threat.report) lines.push(`Report it: ${threat.report.replace(/^mailto:/, '')}`)
    out.push(lines.join('\n\n'))
  }
  if (issue && issue.patches.length) {
    const rows = issue.patches.map((patch) => {
      const about = [patch.product, patch.id].filter(Boolean).join(' · ')
      const facts = [
        patch.severity && `Severity: ${patch.severity}`,
        patch.restart !== undefined && `Restart: ${patch.restart ? 'yes' : 'no'}`,
        patch.rolloutLabel && `When: ${patch.rolloutLabel}`,
      ].filter(Boolean)
      const lines = [wrap(`${patch.title}${about ? ` (${about})` : ''}`, '  ', '- ')]
      if (facts.length) lines.push(wrap(facts.join(' · '), '  '))
      if (patch.cves.length) lines.push(wrap(`CVEs: ${patch.cves.join(', ')}`, '  '))
      if (patch.action) lines.push(say(patch.action, '    ', '  What you need to do: '))
      return lines.join('\n')
    })
    out.push([heading('Patches and restarts'), ...rows].join('\n\n'))
  }
  if (issue?.topQuestion) {
    const { topQuestion } = issue
    const asked = topQuestion.asked ? ` (asked ${topQuestion.asked} times)` : ''
    out.push([heading(`Top question to the helpdesk${asked}`), wrap(topQuestion.question), say(topQuestion.answer)].join('\n\n'))
  }
  if (issue && issue.projects.length) {
    const rows = issue.projects.map((project) => {
      const head = wrap(`${project.name}: ${project.statusLabel}${project.etaLabel ? `, expected ${project.etaLabel}` : ''}`, '  ', '- ')
      return project.summary ? `${head}\n${say(project.summary, '  ')}` : head
    })
    out.push([heading('Where our projects stand'), ...rows].join('\n\n'))
  }
  if (issue && issue.incidents.length) {
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
  const notice = doc.notice
  const sections = () => {
    for (const section of doc.sections) {
      const body = blocksText(section.nodes, refs)
      out.push(section.title ? `${heading(section.title)}\n\n${body}` : body)
    }
  }
  if (notice) {
    // A resolved notice leads with what happened and what changes; an open one with the latest news.
    if (notice.closed) sections()
    const update = (u: RenderedUpdate) => `${u.timeLabel}${u.stateLabel ? ` · ${u.stateLabel}` : ''}\n${say(u.text)}`
    if (notice.latest) out.push(`${heading('Latest update')}\n\n${update(notice.latest)}`)
    const facts = [`Status: ${notice.stateLabel}`]
    if (notice.nextUpdateLabel) facts.push(`Next update: ${notice.nextUpdateLabel}`)
    if (notice.window) facts.push(`When: ${notice.window.label}`)
    facts.push(`Service: ${notice.service}`, say(notice.impact, '  ', 'Impact: '))
    if (notice.workaround) facts.push(say(notice.workaround, '  ', 'Workaround: '))
    out.push(facts.join('\n'))
    if (notice.earlier.length) out.push([heading('Earlier updates'), ...notice.earlier.map(update)].join('\n\n'))
    if (!notice.closed) sections()
  } else {
    sections()
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
      `Was this useful? Yes [${refs.ref(urls.feedbackYes)}] / No [${refs.ref(urls.feedbackNo)}]\nAsk IT a question [${refs.ref(urls.ask)}]`,
      `View this email in your browser: ${urls.browser}\nPast issues: ${urls.archive}`,
    ].join('\n\n'),
  )
  const links = refs.toString()
  if (links) out.push(links)
  return out.filter((chunk) => chunk.trim() !== '').join('\n\n') + '\n'
}

function heading(title: string): string {
  const upper = title.toUpperCase()
  return `${upper}\n${'-'.repeat(Math.min(upper.length, textWidth))}`
}
