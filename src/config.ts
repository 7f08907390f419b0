import { readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { VFile } from 'vfile'
import { report } from './errors.ts'
import type { Check, Fields } from './content/schema.ts'
import { decodeText } from './content/text.ts'
import { readYaml } from './content/yaml.ts'
import { contrastRatio } from './check/contrast.ts'
import { checksFields, type ChecksSettings } from './check/rules.ts'
import { ticketFields, type TicketSettings } from './content/tickets.ts'
import { relayPresets } from './send/relays.ts'

/** Site-wide settings from `content/settings.yml`: who we are, how to reach IT, where the archive lives. */
export interface Settings {
  organisation: string
  /** Sender, e.g. `Northwind IT <it-news@example.com>`. */
  from: string
  reply_to?: string
  /** Absolute URL of the archive site, ending in `/`; "view in browser" links hang off it. */
  archive_url: string
  /** BCP 47 language of the content (default: en). */
  language: string
  brand: { colour: string; logo?: string }
  contact: { email: string; portal?: string; phone?: string; hours?: string }
  /** Writing and email checks: rule severities and limits. */
  checks?: ChecksSettings
  /** `newsletter new`: the column names of your helpdesk's ticket export. */
  new?: { tickets?: TicketSettings }
  /** How `newsletter send` delivers; the SMTP server and password come only from `SMTP_URL`. */
  send?: SendSettings
  /** IANA time zone the times in notices are written in (default: UTC); calendar invites carry it. */
  timezone: string
  /** Teams and Slack channels that get a post per issue and per notice revision; URLs only from the environment. */
  channels: ChannelSettings[]
  /** How notices go out. */
  notices?: { approval?: 'required' | 'optional' }
}

/** One entry of `channels:`: where to post, and the environment variable holding the webhook URL. */
export interface ChannelSettings {
  kind: 'teams' | 'slack'
  webhook_env: string
}

/** The `send:` key of the settings file. Times are in milliseconds. */
export interface SendSettings {
  /** A relay preset (src/send/relays.ts) that sets the rate and daily cap. */
  relay?: string
  /** Domains recipients must be in (a subdomain counts); missing: any domain. */
  allowed_domains?: string[]
  /** https or mailto URL for List-Unsubscribe; without it no unsubscribe headers are sent. */
  unsubscribe_url?: string
  /** List-Id, e.g. `Brightwater IT news <it-news.example.com>` (default: derived from `from`). */
  list_id?: string
  dkim?: { domain: string; selector: string; key_file: string }
  /** Messages per minute across all connections; overrides the relay preset. */
  rate_per_minute?: number
  /** Recipients per rolling 24 hours; overrides the relay preset. */
  daily_limit?: number
  /** Attempts per recipient within one run for 4xx replies and dropped connections (default 3). */
  attempts?: number
  /** First retry delay, doubled each attempt up to 30 s (default 2000). */
  retry_delay?: number
  connection_timeout?: number
  greeting_timeout?: number
  socket_timeout?: number
  /** Require STARTTLS on smtp:// URLs (default true). */
  require_tls?: boolean
}

/** Where things are, resolved once by the CLI and passed down to every stage. */
export interface Config {
  root: string
  contentDir: string
  layoutsDir: string
  outDir: string
  settingsPath: string
  settings: Settings
}

/** The folder of this package (package.json, src/, layouts/), whether the code runs from src/ or dist/cli/. */
export const packageDir = findPackageDir(dirname(fileURLToPath(import.meta.url)))

function findPackageDir(dir: string): string {
  return existsSync(join(dir, 'package.json')) || dirname(dir) === dir ? dir : findPackageDir(dirname(dir))
}

/** Built-in defaults; the settings file and then flags override them. */
export const defaults = {
  contentDir: 'content',
  layoutsDir: 'layouts',
  outDir: 'dist',
  settingsFile: 'content/settings.yml',
  language: 'en',
  timezone: 'UTC',
} as const

const https: Check = (value) =>
  /^https?:\/\/[^\s/]+(\/\S*)?$/.test(value) ? undefined : { reason: `must be an absolute http(s) URL, got \`${value}\``, hint: 'Write it like https://intranet.example.com/it-news/' }
const email: Check = (value) =>
  /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(value) ? undefined : { reason: `must be an email address, got \`${value}\`` }
const sender: Check = (value) =>
  /^(?:[^<>]*<[^@\s<>]+@[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+)$/.test(value) ? undefined : { reason: `must be an address, optionally with a name: \`Name <it@example.com>\`, got \`${value}\`` }
const colour: Check = (value) =>
  /^#[0-9a-fA-F]{6}$/.test(value) ? undefined : { reason: `must be a colour written #RRGGBB, got \`${value}\`` }

const relay: Check = (value) =>
  value in relayPresets ? undefined : { reason: `must be one of ${Object.keys(relayPresets).join(' | ')}, got \`${value}\`` }
const unsubscribe: Check = (value) =>
  /^(https:\/\/\S+|mailto:[^@\s]+@[^@\s]+)$/.test(value) ? undefined : { reason: `must be an https: or mailto: URL, got \`${value}\`` }
const domain: Check = (value) =>
  /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value) ? undefined : { reason: `must be a domain like example.com, got \`${value}\`` }
const timeZone: Check = (value) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return undefined
  } catch {
    return { reason: `must be an IANA time zone like Europe/London, got \`${value}\``, hint: 'Pick one from https://en.wikipedia.org/wiki/List_of_tz_database_time_zones (TZ identifier)' }
  }
}
const envName: Check = (value) =>
  /^[A-Z_][A-Z0-9_]*$/.test(value) ? undefined : { reason: `must be the name of an environment variable (A–Z, 0–9, _), got \`${value}\``, hint: 'Write the name, e.g. TEAMS_WEBHOOK_URL, never the URL itself' }
const millis = { spec: { kind: 'integer', min: 1 } } as const

/** The `send:` keys of the settings file. */
const sendFields: Fields = {
  relay: { spec: { kind: 'string', check: relay } },
  allowed_domains: { spec: { kind: 'list', of: { kind: 'string', check: domain } } },
  unsubscribe_url: { spec: { kind: 'string', check: unsubscribe } },
  list_id: { spec: { kind: 'string' } },
  dkim: {
    spec: {
      kind: 'object',
      fields: { domain: { spec: { kind: 'string', check: domain }, required: true }, selector: { spec: { kind: 'string' }, required: true }, key_file: { spec: { kind: 'string' }, required: true } },
    },
  },
  rate_per_minute: { spec: { kind: 'integer', min: 1 } },
  daily_limit: { spec: { kind: 'integer', min: 1 } },
  attempts: { spec: { kind: 'integer', min: 1 } },
  retry_delay: millis,
  connection_timeout: millis,
  greeting_timeout: millis,
  socket_timeout: millis,
  require_tls: { spec: { kind: 'boolean' } },
}

/** The settings file's keys: unknown keys are errors, like in issues. */
export const settingsFields: Fields = {
  organisation: { spec: { kind: 'string' }, required: true },
  from: { spec: { kind: 'string', check: sender }, required: true },
  reply_to: { spec: { kind: 'string', check: email } },
  archive_url: { spec: { kind: 'string', check: https }, required: true },
  language: { spec: { kind: 'string' } },
  brand: {
    spec: { kind: 'object', fields: { colour: { spec: { kind: 'string', check: colour }, required: true }, logo: { spec: { kind: 'string', check: https } } } },
    required: true,
  },
  contact: {
    spec: {
      kind: 'object',
      fields: {
        email: { spec: { kind: 'string', check: email }, required: true },
        portal: { spec: { kind: 'string', check: https } },
        phone: { spec: { kind: 'string' } },
        hours: { spec: { kind: 'string' } },
      },
    },
    required: true,
  },
  checks: { spec: { kind: 'object', fields: checksFields } },
  new: { spec: { kind: 'object', fields: { tickets: { spec: { kind: 'object', fields: ticketFields } } } } },
  send: { spec: { kind: 'object', fields: sendFields } },
  timezone: { spec: { kind: 'string', check: timeZone } },
  channels: {
    spec: {
      kind: 'list',
      of: { kind: 'object', fields: { kind: { spec: { kind: 'enum', values: ['teams', 'slack'] }, required: true }, webhook_env: { spec: { kind: 'string', check: envName }, required: true } } },
    },
  },
  notices: { spec: { kind: 'object', fields: { approval: { spec: { kind: 'enum', values: ['required', 'optional'] } } } } },
}

/** Parse and validate settings text; problems go on the returned file with positions. */
export function parseSettings(path: string, text: string): { file: VFile; settings?: Settings } {
  const file = new VFile({ path, value: text })
  const read = readYaml(file, text, text, 0, { kind: 'object', fields: settingsFields }, 'settings')
  if (!read?.valid) return { file }
  const raw = read.value as Settings
  const settings: Settings = { ...raw, language: raw.language ?? defaults.language, timezone: raw.timezone ?? defaults.timezone, channels: raw.channels ?? [], archive_url: raw.archive_url.replace(/\/?$/, '/') }
  // The header puts white text on the brand colour: WCAG AA wants 4.5:1.
  const ratio = contrastRatio(settings.brand.colour, '#ffffff')
  if (ratio < 4.5) {
    report(file, 'error', `\`brand.colour\` ${settings.brand.colour} has a contrast of ${ratio.toFixed(2)}:1 with white text; at least 4.5:1 is needed`, 'settings/contrast', read.where('brand.colour'), 'Pick a darker shade of the brand colour')
    return { file }
  }
  return { file, settings }
}

/** Resolve where everything is and read the settings file. */
export async function loadConfig(options: { root: string; outDir?: string }): Promise<{ file: VFile; config?: Config }> {
  const root = options.root
  const settingsPath = join(root, defaults.settingsFile)
  const shown = relative(root, settingsPath) || settingsPath
  const bytes = await readFile(settingsPath).catch(() => undefined)
  if (!bytes) {
    const file = new VFile({ path: shown })
    report(file, 'error', 'The settings file could not be read', 'settings/missing', { line: 1, column: 1 }, 'Create content/settings.yml (see README.md, "Settings")')
    return { file }
  }
  const { file, settings } = parseSettings(shown, decodeText(bytes).text)
  if (!settings) return { file }
  return {
    file,
    config: {
      root,
      contentDir: join(root, defaults.contentDir),
      layoutsDir: join(root, defaults.layoutsDir),
      outDir: options.outDir ?? join(root, defaults.outDir),
      settingsPath,
      settings,
    },
  }
}
