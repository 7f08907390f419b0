import type { ChannelSettings } from '../config.ts'
import { addressOf } from '../content/address.ts'
import { kickerOf, type RenderedDoc } from '../markdown/parts.ts'
import { inlineText, LinkRefs } from '../markdown/plain-text.ts'

// A webhook URL is a secret: whoever has it can post to the channel. Messages name it by this instead.
const webhookMask = '<webhook>'

/**
 * `text` without any part of the webhook URL: the whole URL, the host, every path segment and every query value,
 * each as written and decoded, since a reply body may quote any one of them (`unknown sig=…`, `no such flow …`).
 */
export function redactWebhook(text: string, url: string): string {
  const parts = new Set<string>([url])
  try {
    const parsed = new URL(url)
    parts.add(parsed.host).add(parsed.hostname)
    for (const segment of parsed.pathname.split('/')) parts.add(segment).add(safeDecode(segment))
    for (const [key, value] of parsed.searchParams) parts.add(value).add(encodeURIComponent(value)).add(`${key}=${value}`)
    parts.add(parsed.search.slice(1))
  } catch {
    // Not a URL: only the whole text is known to be secret.
  }
  // Longest first, so a segment inside the whole URL does not leave the rest of it behind; one character is no secret.
  const secrets = [...parts].filter((part) => part.length > 1).sort((a, b) => b.length - a.length)
  return secrets.reduce((out, secret) => out.split(secret).join(webhookMask), text)
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** What a channel post says: one per (slug, revision). Text fields are plain text. */
export interface ChannelPost {
  slug: string
  /** 1 for an issue; a notice's revision (its number of updates). */
  revision: number
  title: string
  /** `Service notice` or `Issue 14`. */
  kicker: string
  /** A notice's state as readers see it (`Cause identified`); none for an issue. */
  stateLabel?: string
  service?: string
  /** The latest update of a notice, or an issue's summary. */
  latest: { label?: string; text: string }
  nextUpdateLabel?: string
  /** The page on the archive. */
  url: string
}

/** Remembers which posts went out, so a rerun never posts twice; the send ledger can back it. */
export interface PostRecord {
  /** True when (slug, revision, channel) was posted before. */
  posted(slug: string, revision: number, channel: string): boolean
  /** Remember a post the channel accepted. */
  recordPosted(slug: string, revision: number, channel: string, at: Date): void
}

/** How one channel went. `channel` names the kind and the variable (`teams:TEAMS_URL`), never the URL. */
export interface PostResult {
  channel: string
  outcome: 'posted' | 'already-posted' | 'failed'
  attempts: number
  /** Why it failed, without the webhook URL. */
  reason?: string
}

/** Retries and time limits of a post. */
export interface PostOptions {
  /** Attempts per channel on 429, 5xx and network errors (default 4). */
  attempts?: number
  /** First wait without a Retry-After, doubled each attempt (default 1000 ms). */
  retryDelay?: number
  /** The longest wait honoured, Retry-After included (default 30000 ms): a channel never holds up a send for long. */
  maxDelay?: number
  /** Time limit of one request (default 10000 ms). */
  timeout?: number
}

/** A Teams Adaptive Card as a Workflows webhook ("Send webhook alerts to a channel") takes it: a message with one card attachment. */
export function teamsPayload(post: ChannelPost): unknown {
  const facts = [
    post.stateLabel && { title: 'State', value: cardText(post.stateLabel) },
    post.service && { title: 'Service', value: cardText(post.service) },
    post.nextUpdateLabel && { title: 'Next update', value: cardText(post.nextUpdateLabel) },
  ].filter(Boolean)
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: cardText(post.kicker), size: 'Small', isSubtle: true, wrap: true },
            { type: 'TextBlock', text: cardText(post.title), size: 'Large', weight: 'Bolder', wrap: true },
            ...(facts.length > 0 ? [{ type: 'FactSet', facts }] : []),
            ...(post.latest.label ? [{ type: 'TextBlock', text: cardText(post.latest.label), weight: 'Bolder', wrap: true, spacing: 'Medium' }] : []),
            { type: 'TextBlock', text: cardText(post.latest.text), wrap: true },
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Read it on the archive', url: post.url }],
        },
      },
    ],
  }
}

/** A Slack Block Kit message for an incoming webhook; `text` is the notification fallback. */
export function slackPayload(post: ChannelPost): unknown {
  const facts = [
    post.stateLabel && `*State:* ${mrkdwn(post.stateLabel)}`,
    post.service && `*Service:* ${mrkdwn(post.service)}`,
    post.nextUpdateLabel && `*Next update:* ${mrkdwn(post.nextUpdateLabel)}`,
  ].filter(Boolean)
  return {
    text: mrkdwn(`${post.stateLabel ? `[${post.stateLabel}] ` : ''}${post.title}`),
    blocks: [
      // Header text is plain text of at most 150 characters (Block Kit reference, header block).
      { type: 'header', text: { type: 'plain_text', text: clip(mrkdwn(post.title), 150), emoji: false } },
      ...(facts.length > 0 ? [{ type: 'section', text: { type: 'mrkdwn', text: facts.join('\n') } }] : []),
      {
        type: 'section',
        text: { type: 'mrkdwn', text: clip(`${post.latest.label ? `*${mrkdwn(post.latest.label)}*\n` : ''}${mrkdwn(post.latest.text)}`, 3000) },
      },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Read it on the archive' }, url: post.url }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(post.kicker) }] },
    ],
  }
}

/** The name a channel is recorded and reported under. */
export function channelName(channel: ChannelSettings): string {
  return `${channel.kind}:${channel.webhook_env}`
}

/**
 * Post one message per channel for (slug, revision), skipping channels the record says already have it. Retries
 * 429 and 5xx (honouring Retry-After, up to `maxDelay`) and network errors; never throws: each channel gets a result.
 * Webhook URLs come from `env` and appear in no result.
 */
export async function postToChannels(
  post: ChannelPost,
  channels: readonly ChannelSettings[],
  env: Readonly<Record<string, string | undefined>>,
  record: PostRecord,
  options: PostOptions = {},
): Promise<PostResult[]> {
  const results: PostResult[] = []
  for (const channel of channels) {
    const name = channelName(channel)
    if (record.posted(post.slug, post.revision, name)) {
      results.push({ channel: name, outcome: 'already-posted', attempts: 0 })
      continue
    }
    const url = env[channel.webhook_env]
    if (!url || !/^https?:\/\//.test(url)) {
      results.push({
        channel: name,
        outcome: 'failed',
        attempts: 0,
        reason: `${channel.webhook_env} is ${url ? 'not an http(s) URL' : 'not set'} in the environment`,
      })
      continue
    }
    const payload = channel.kind === 'teams' ? teamsPayload(post) : slackPayload(post)
    const result = await deliver(url, payload, options)
    if (result.ok) {
      try {
        record.recordPosted(post.slug, post.revision, name, new Date())
      } catch (error) {
        results.push({
          channel: name,
          outcome: 'posted',
          attempts: result.attempts,
          reason: `posted, but not recorded: ${redactWebhook((error as Error).message, url)}`,
        })
        continue
      }
    }
    results.push({
      channel: name,
      outcome: result.ok ? 'posted' : 'failed',
      attempts: result.attempts,
      reason: result.reason,
    })
  }
  return results
}

async function deliver(url: string, payload: unknown, options: PostOptions): Promise<{ ok: boolean; attempts: number; reason?: string }> {
  const attempts = options.attempts ?? 4
  const maxDelay = options.maxDelay ?? 30_000
  let delay = options.retryDelay ?? 1000
  let reason = ''
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let wait = delay
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        // A redirect would re-post the card (and whatever the URL grants) to wherever Location names: never follow one.
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeout ?? 10_000),
      })
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel()
        return {
          ok: false,
          attempts: attempt,
          reason: `HTTP ${response.status}: the webhook answered with a redirect, which is never followed; check the webhook URL`,
        }
      }
      // What the reply says is redacted where it comes in: our own words around it are never mistaken for the URL.
      const body = redactWebhook((await response.text().catch(() => '')).trim(), url).slice(0, 200)
      if (response.ok) return { ok: true, attempts: attempt }
      reason = `HTTP ${response.status}${body ? `: ${body}` : ''}`
      if (response.status !== 429 && response.status < 500) return { ok: false, attempts: attempt, reason }
      wait = retryAfter(response.headers.get('retry-after')) ?? delay
    } catch (error) {
      reason = networkReason(error)
    }
    if (attempt === attempts) break
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, maxDelay)))
    delay *= 2
  }
  return { ok: false, attempts, reason: `${reason} (gave up after ${attempts} attempts)` }
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds. */
function retryAfter(value: string | null): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause
  if ((error as Error).name === 'TimeoutError') return 'no answer in time'
  return `could not connect${cause?.code ? ` (${cause.code})` : ''}`
}

// Slack treats &, < and > as markup in every text field (`<!channel>` would ping everyone, `<url|label>` hides a link).
function mrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** At most `max` characters, never ending inside an entity `mrkdwn` wrote (a cut `&am` would show as text). */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).replace(/&[a-z]*$/, '')}…`
}

// A word joiner (U+2060): invisible, and ends the run of characters an autolink needs.
const joiner = '\u2060'

/**
 * Text for an Adaptive Card TextBlock or fact, which Teams reads as Markdown: every character that could start a
 * link, an image, emphasis, code or a list is escaped, and what an autolinker would take for a URL or an address
 * (`https://`, `www.`, `evil.example`, `a@b`) is broken by an invisible joiner. Only the card's action is a link.
 */
export function cardText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>!|~]/g, '\\$&')
    .replace(/^([ \t]*)([#+-]|\d+\.)/gm, (_line, space: string, mark: string) => `${space}${mark.replace(/[#+.-]/, '\\$&')}`)
    .replace(/:\/\//g, `:${joiner}//`)
    .replace(/@/g, `${joiner}@`)
    .replace(/\.(?=\p{L})/gu, `.${joiner}`)
    .replace(/\bwww\b/gi, `www${joiner}`)
}

/** What the channels say about a rendered issue or notice as of its latest update. */
export function channelPost(doc: RenderedDoc, archiveUrl: string): ChannelPost {
  const refs = new LinkRefs()
  const notice = doc.notice
  const url = `${archiveUrl}${addressOf(doc).page}`
  if (!notice) return { slug: doc.slug, revision: 1, title: doc.title, kicker: kickerOf(doc), latest: { text: inlineText(doc.summary.nodes, refs) }, url }
  return {
    slug: doc.slug,
    revision: notice.revision,
    title: doc.title,
    kicker: kickerOf(doc),
    stateLabel: notice.stateLabel,
    service: notice.service,
    latest: notice.latest
      ? {
          label: `${notice.latest.timeLabel}${notice.latest.stateLabel ? ` · ${notice.latest.stateLabel}` : ''}`,
          text: inlineText(notice.latest.text.nodes, refs),
        }
      : { text: inlineText(doc.summary.nodes, refs) },
    nextUpdateLabel: notice.nextUpdateLabel,
    url,
  }
}
