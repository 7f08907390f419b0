import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { VFile } from 'vfile'
import { report } from './errors.ts'
import type { Check, Fields, InferFields } from './content/schema.ts'
import { decodeText } from './content/decode.ts'
import { readYaml } from './content/yaml.ts'
import { contrastRatio } from './check/contrast.ts'
import { checksFields, type ChecksSettings } from './check/rules.ts'
import { ticketFields } from './content/tickets.ts'
import { numbersSettingsFields } from './content/numbers.ts'
import { relayPresets } from './send/relays.ts'

/**
 * Site-wide settings from `content/settings.yml`: who we are, how to reach IT, where the archive lives. The type is
 * derived from `settingsFields` below; `checks` keeps the type of its rules table, whose keys are built at run time.
 */
export type Settings = Omit<InferFields<typeof settingsFields>, 'checks'> & { checks?: ChecksSettings }

/** One entry of `channels:`: where to post, and the environment variable holding the webhook URL. */
export type ChannelSettings = Settings['channels'][number]

/** The `send:` key of the settings file. Times are in milliseconds. */
export type SendSettings = NonNullable<Settings['send']>

/** Where things are, resolved once by the CLI and passed down to every stage. */
export interface Config {
  root: string
  contentDir: string
  layoutsDir: string
  outDir: string
  settingsPath: string
  settings: Settings
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
  /^https?:\/\/[^\s/]+(\/\S*)?$/.test(value)
    ? undefined
    : { reason: `must be an absolute http(s) URL, got \`${value}\``, hint: 'Write it like https://intranet.example.com/it-news/' }
const email: Check = (value) => (/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(value) ? undefined : { reason: `must be an email address, got \`${value}\`` })
const sender: Check = (value) =>
  /^(?:[^<>]*<[^@\s<>]+@[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+)$/.test(value)
    ? undefined
    : { reason: `must be an address, optionally with a name: \`Name <it@example.com>\`, got \`${value}\`` }
const colour: Check = (value) => (/^#[0-9a-fA-F]{6}$/.test(value) ? undefined : { reason: `must be a colour written #RRGGBB, got \`${value}\`` })

const relay: Check = (value) => (value in relayPresets ? undefined : { reason: `must be one of ${Object.keys(relayPresets).join(' | ')}, got \`${value}\`` })
const unsubscribe: Check = (value) =>
  /^(https:\/\/\S+|mailto:[^@\s]+@[^@\s]+)$/.test(value) ? undefined : { reason: `must be an https: or mailto: URL, got \`${value}\`` }
const domain: Check = (value) => (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value) ? undefined : { reason: `must be a domain like example.com, got \`${value}\`` })
const editorUrl: Check = (value) =>
  /^(?!javascript:|data:|vbscript:)[a-z][a-z0-9+.-]*:\S*\{path\}/i.test(value)
    ? undefined
    : { reason: `must be a URL containing {path}, got \`${value}\``, hint: 'Write it like vscode://file{path}:{line}:{column}' }
const timeZone: Check = (value) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return undefined
  } catch {
    return {
      reason: `must be an IANA time zone like Europe/London, got \`${value}\``,
      hint: 'Pick one from https://en.wikipedia.org/wiki/List_of_tz_database_time_zones (TZ identifier)',
    }
  }
}
const envName: Check = (value) =>
  /^[A-Z_][A-Z0-9_]*$/.test(value)
    ? undefined
    : {
        reason: `must be the name of an environment variable (A–Z, 0–9, _), got \`${value}\``,
        hint: 'Write the name, e.g. TEAMS_WEBHOOK_URL, never the URL itself',
      }
/**
 * The parts of an issue, in the order they are shown unless `order:` says otherwise: the body's first section (the
 * lead story), the front-matter blocks, then the rest of the body.
 */
export const issueBlocks = ['lead', 'threat', 'patches', 'top_question', 'numbers', 'priorities', 'projects', 'incidents', 'body'] as const

/** One part of an issue that `order:` can move. */
export type IssueBlock = (typeof issueBlocks)[number]

/** The settings' `order:` made whole: its parts first (each once), then every part it leaves out, in the default order. */
export function blockOrder(order: readonly IssueBlock[] = []): IssueBlock[] {
  return [...new Set([...order, ...issueBlocks])]
}

const millis = { spec: { kind: 'integer', min: 1 } } as const

/** The `send:` keys of the settings file. Times are in milliseconds. */
const sendFields = {
  /** How messages leave: `smtp` through SMTP_URL (default), or `graph` through the Microsoft Graph sendMail API. */
  transport: { spec: { kind: 'enum', values: ['smtp', 'graph'] } },
  /** The mailbox Graph sends as (default: the `from` address). */
  mailbox: { spec: { kind: 'string', check: email } },
  /** A relay preset (src/send/relays.ts) that sets the rate and daily cap. */
  relay: { spec: { kind: 'string', check: relay } },
  /** Domains recipients must be in (a subdomain counts); missing: any domain. */
  allowed_domains: { spec: { kind: 'list', of: { kind: 'string', check: domain } } },
  /** https or mailto URL for List-Unsubscribe; without it no unsubscribe headers are sent. */
  unsubscribe_url: { spec: { kind: 'string', check: unsubscribe } },
  /** List-Id, e.g. `Brightwater IT news <it-news.example.com>` (default: derived from `from`). */
  list_id: { spec: { kind: 'string' } },
  dkim: {
    spec: {
      kind: 'object',
      fields: {
        domain: { spec: { kind: 'string', check: domain }, required: true },
        selector: { spec: { kind: 'string' }, required: true },
        key_file: { spec: { kind: 'string' }, required: true },
      },
    },
  },
  /** Messages per minute across all connections; overrides the relay preset. */
  rate_per_minute: { spec: { kind: 'integer', min: 1 } },
  /** Recipients per rolling 24 hours; overrides the relay preset. */
  daily_limit: { spec: { kind: 'integer', min: 1 } },
  /** Attempts per recipient within one run on 4xx replies, and apart from those on dropped connections (default 3). */
  attempts: { spec: { kind: 'integer', min: 1 } },
  /** First retry delay, doubled each attempt up to 30 s; the recipient waits, not the connection (default 2000). */
  retry_delay: millis,
  /** Stop when the server has not answered for this long, only failing to connect (default 60000). */
  give_up_after: millis,
  connection_timeout: millis,
  greeting_timeout: millis,
  socket_timeout: millis,
  /** The columns of a recipients export that is none of the known formats: which column holds each thing. */
  recipients_columns: {
    spec: {
      kind: 'object',
      fields: {
        email: { spec: { kind: 'string' }, required: true },
        name: { spec: { kind: 'string' } },
        department: { spec: { kind: 'string' } },
        enabled: { spec: { kind: 'string' } },
      },
    },
  },
  /** OpenSSH allowed_signers file (relative to the project): send, post and build accept only approvals signed by a key in it. */
  approvers: { spec: { kind: 'string' } },
  /** Require STARTTLS on smtp:// URLs (default true). */
  require_tls: { spec: { kind: 'boolean' } },
} as const satisfies Fields

/** The settings file's keys: unknown keys are errors, like in issues. */
export const settingsFields = {
  organisation: { spec: { kind: 'string' }, required: true },
  from: { spec: { kind: 'string', check: sender }, required: true },
  reply_to: { spec: { kind: 'string', check: email } },
  archive_url: { spec: { kind: 'string', check: https }, required: true },
  /** BCP 47 language of the content: `<html lang>` and how dates are written. */
  language: { spec: { kind: 'string' }, default: defaults.language },
  brand: {
    spec: {
      kind: 'object',
      fields: {
        colour: { spec: { kind: 'string', check: colour }, required: true },
        logo: { spec: { kind: 'string', check: https } },
        /** The logo for dark backgrounds (a white logo on a dark inbox), used when the reader's mail app is dark. */
        logo_dark: { spec: { kind: 'string', check: https } },
      },
    },
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
  /** How `numbers:` is counted from a ticket export. */
  numbers: { spec: { kind: 'object', fields: numbersSettingsFields } },
  send: { spec: { kind: 'object', fields: sendFields } },
  preview: {
    spec: {
      kind: 'object',
      fields: { editor_url: { spec: { kind: 'string', check: editorUrl } }, test_to: { spec: { kind: 'list', of: { kind: 'string', check: email } } } },
    },
  },
  /** The order of an issue's parts in the email and on its archive page; parts not listed follow in `issueBlocks` order. */
  order: { spec: { kind: 'list', of: { kind: 'enum', values: issueBlocks } } },
  /** IANA time zone the times in notices are written in: calendar invites carry it. */
  timezone: { spec: { kind: 'string', check: timeZone }, default: 'UTC' },
  /** Teams and Slack channels that get a post per issue and per notice revision; URLs only from the environment. */
  channels: {
    spec: {
      kind: 'list',
      of: {
        kind: 'object',
        fields: {
          kind: { spec: { kind: 'enum', values: ['teams', 'slack'] }, required: true },
          webhook_env: { spec: { kind: 'string', check: envName }, required: true },
        },
      },
    },
    default: [],
  },
  /** How notices go out: `approval: optional` lets on-call staff send a revision without `approve`. */
  notices: { spec: { kind: 'object', fields: { approval: { spec: { kind: 'enum', values: ['required', 'optional'] } } } } },
} as const satisfies Fields

/** Parse and validate settings text; problems go on the returned file with positions. */
export function parseSettings(path: string, text: string): { file: VFile; settings?: Settings } {
  const file = new VFile({ path, value: text })
  const read = readYaml(file, text, text, 0, { kind: 'object', fields: settingsFields }, 'settings')
  if (!read?.valid) return { file }
  const settings: Settings = { ...read.value, archive_url: read.value.archive_url.replace(/\/?$/, '/') }
  // The header puts white text on the brand colour: WCAG AA wants 4.5:1.
  const ratio = contrastRatio(settings.brand.colour, '#ffffff')
  if (ratio < 4.5) {
    report(
      file,
      'error',
      `\`brand.colour\` ${settings.brand.colour} has a contrast of ${ratio.toFixed(2)}:1 with white text; at least 4.5:1 is needed`,
      'settings/contrast',
      read.where('brand.colour'),
      'Pick a darker shade of the brand colour',
    )
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
    report(
      file,
      'error',
      'The settings file could not be read',
      'settings/missing',
      { line: 1, column: 1 },
      'Create content/settings.yml (see README.md, "Settings")',
    )
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
