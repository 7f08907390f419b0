import { Parser } from 'htmlparser2'

/** The text a mail app lists under the subject: the hidden preheader (the summary), then the body's first words. */
export interface InboxText {
  /** Text in hidden elements at the top of the body: the preheader the layout puts there. */
  preheader: string
  /** The preheader as a reader sees it: its filler (invisible characters, non-breaking spaces) left out. */
  visiblePreheader: string
  /** The visible text that follows it, as far as any inbox shows. */
  after: string
}

/** Where an inbox list cuts the preview text off, in characters. */
export interface InboxCut {
  id: string
  label: string
  width: 'desktop' | 'phone'
  chars: number
}

// Approximate, and the window width moves them: Gmail on the web shows up to ~140 characters after the
// subject, Outlook's message list ~100 on two lines, phone apps (Gmail, Apple Mail on iPhone) ~90.
/** The inbox lists the preview imitates. */
export const inboxCuts: readonly InboxCut[] = [
  { id: 'gmail-web', label: 'Gmail on the web', width: 'desktop', chars: 140 },
  { id: 'outlook', label: 'Outlook', width: 'desktop', chars: 100 },
  { id: 'phone', label: 'Gmail and Apple Mail on a phone', width: 'phone', chars: 90 },
]

// Elements whose text never reaches an inbox preview.
const silent = new Set(['head', 'style', 'script', 'title'])
// Elements inside a line of text; every other element starts and ends a block, which reads as a space.
const inline = new Set(['a', 'abbr', 'b', 'code', 'em', 'i', 'mark', 'q', 's', 'small', 'span', 'strong', 'sub', 'sup', 'u'])
// Zero-width and invisible characters some layouts pad preheaders with; they show as nothing.
const invisible = /\u00ad|\u034f|[\u200b-\u200d]|\u2060|\ufeff/g

/** What an inbox shows of an email's HTML: the body's text in order, hidden preheader first, spaces collapsed. */
export function inboxText(html: string, limit = 400): InboxText {
  let preheader = ''
  let after = ''
  const stack: { silent: boolean; hidden: boolean }[] = []
  const add = (text: string) => {
    const top = stack.at(-1)
    if (top?.silent) return
    // Only a preheader before any visible text counts as one; later hidden text is not shown at all.
    if (top?.hidden) {
      if (after.trim() === '') preheader += text
    } else after += text
  }
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (!inline.has(name)) add(' ')
        const parent = stack.at(-1)
        const hidden = /display\s*:\s*none/i.test(attributes.style ?? '')
        stack.push({ silent: (parent?.silent ?? false) || silent.has(name), hidden: (parent?.hidden ?? false) || hidden })
      },
      onclosetag(name) {
        stack.pop()
        if (!inline.has(name)) add(' ')
      },
      ontext: add,
    },
    { decodeEntities: true },
  )
  parser.end(html)
  const tidy = (text: string) => text.replace(invisible, '').replace(/\s+/g, ' ').trim()
  // Filler after the preheader (zero-width characters, non-breaking spaces) shows as nothing but takes up the inbox's
  // characters: that is what stops the snippet running on into the body. Only ordinary white space collapses there.
  return { preheader: preheader.replace(/[ \t\n\r\f\v]+/g, ' ').trim(), visiblePreheader: tidy(preheader), after: tidy(after).slice(0, limit) }
}

/** The preview text cut at `chars`: how much of the preheader and of what follows fit, and whether it was cut. */
export function cutInboxText(text: InboxText, chars: number): { preheader: string; after: string; cut: boolean } {
  const preheader = text.preheader.slice(0, chars)
  const room = chars - preheader.length - (preheader ? 1 : 0)
  const after = room > 0 ? text.after.slice(0, room) : ''
  return { preheader, after, cut: text.preheader.length + (text.after ? text.after.length + 1 : 0) > chars }
}
