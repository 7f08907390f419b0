/** What a mail relay allows one sending mailbox, and where that figure is documented. */
export interface RelayPreset {
  label: string
  /** Messages per second the relay accepts from one sender (undefined: no documented rate). */
  rate?: number
  /** Recipients (or messages) per rolling 24 hours (undefined: account-specific, set `send.daily_limit`). */
  dailyLimit?: number
  /** The documentation page the figures come from. */
  source: string
  /** The host SMTP_URL should name with this preset, for `doctor` (absent: any, or an API). */
  host?: string
  /** The preset is for mail to the organisation's own domains only (`send.allowed_domains` must say which). */
  internalOnly?: boolean
  /** How to sign in, printed by `doctor`. */
  signIn?: string
}

/**
 * Relays IT departments send through, with their documented limits (checked November 2026; limits
 * change, so the figures are conservative and `send.rate_per_minute` / `send.daily_limit` override them).
 */
export const relayPresets: Record<string, RelayPreset> = {
  // "Sending limits": message rate limit 30 messages per minute, recipient rate limit 10,000 per day.
  'microsoft-365': {
    label: 'Microsoft 365 (Exchange Online SMTP submission)',
    rate: 30 / 60,
    dailyLimit: 10_000,
    host: 'smtp.office365.com',
    signIn: 'OAuth2 (XOAUTH2): a user in SMTP_URL, no password, and OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, OAUTH_TENANT',
    source:
      'Microsoft Learn, "Exchange Online limits", section "Sending limits" (learn.microsoft.com/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits)',
  },
  // High Volume Email: internal recipients, no per-mailbox recipient rate limit ("without a recipient rate limit"),
  // tenant volume set by the admin and billed per recipient: set send.daily_limit to the tenant's figure.
  'microsoft-365-hve': {
    label: 'Microsoft 365 High Volume Email (smtp.hve.mx.microsoft, internal recipients)',
    host: 'smtp.hve.mx.microsoft',
    internalOnly: true,
    signIn: 'OAuth2 (XOAUTH2) as the HVE account: a user in SMTP_URL, no password, and OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, OAUTH_TENANT',
    source:
      'Microsoft Exchange Team, "Public Preview: High Volume Email for Microsoft 365" (Microsoft Community Hub, April 2024; as republished at thewindowsupdate.com/2024/04/01/public-preview-high-volume-email-for-microsoft-365/): the tenant\'s volume is set by its admin, so set send.daily_limit',
  },
  // Graph: at most 4 concurrent requests and 10,000 requests per 10 minutes per app and mailbox; the mailbox's
  // Exchange sending limits (30 messages a minute, 10,000 recipients a day) apply to what it sends through Graph too.
  'microsoft-graph': {
    label: 'Microsoft Graph sendMail (send.transport: graph)',
    rate: 30 / 60,
    dailyLimit: 10_000,
    signIn: 'OAuth2 client credentials: OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, OAUTH_TENANT; the app needs Mail.Send',
    source:
      'Microsoft Learn, "Microsoft Graph service-specific throttling limits", section "Outlook service limits" (learn.microsoft.com/graph/throttling-limits#outlook-service-limits), and "Exchange Online limits", section "Sending limits" (learn.microsoft.com/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits)',
  },
  // The relay service counts 10,000 recipients per user per day; it publishes no per-minute rate. It accepts mail from
  // allow-listed IP addresses (no sign-in at all) or SMTP AUTH by a Workspace user; Google ended plain passwords for
  // less secure apps in May 2025, so a user sign-in needs an app password with 2-Step Verification, or OAuth.
  'google-workspace-relay': {
    label: 'Google Workspace SMTP relay service (smtp-relay.gmail.com)',
    dailyLimit: 10_000,
    host: 'smtp-relay.gmail.com',
    signIn:
      "the sending machine's IP address allow-listed in the Admin console (Apps → Google Workspace → Gmail → Routing → SMTP relay service) and no user in SMTP_URL, or SMTP AUTH with OAuth through OAUTH_TOKEN_URL",
    source: 'Google Workspace Admin Help, "SMTP relay service sending limits" (support.google.com/a/answer/2956491)',
  },
  // Signing in to smtp.gmail.com as a user is held to that user's Gmail limit: 2,000 messages a day.
  'google-workspace-gmail': {
    label: 'Google Workspace Gmail SMTP (smtp.gmail.com)',
    dailyLimit: 2_000,
    source: 'Google Workspace Admin Help, "Gmail sending limits in Google Workspace" (support.google.com/a/answer/166852)',
  },
  // Production quotas are per account and region (SES console → Account dashboard): set them in settings.
  'amazon-ses': {
    label: 'Amazon SES (production access)',
    source: 'Amazon SES Developer Guide, "Managing your Amazon SES sending quotas" (docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas.html)',
  },
  // The SES sandbox: 200 messages per 24 hours, 1 message per second.
  'amazon-ses-sandbox': {
    label: 'Amazon SES (sandbox)',
    rate: 1,
    dailyLimit: 200,
    source:
      'Amazon SES Developer Guide, "Request production access (Moving out of the Amazon SES sandbox)" (docs.aws.amazon.com/ses/latest/dg/request-production-access.html)',
  },
}

/** The limits a send runs under: a preset, overridden by explicit settings and flags. */
export interface Limits {
  /** Messages per second (undefined: unlimited). */
  rate?: number
  dailyLimit?: number
  /** Where the figures come from, for the warning a capped send prints. */
  from: string
}

/** Combine a relay preset with `send.rate_per_minute` / `send.daily_limit` and the `--rate` flag (most specific wins). */
export function resolveLimits(relay: string | undefined, settings: { rate_per_minute?: number; daily_limit?: number }, flagRate?: number): Limits {
  const preset = relay ? relayPresets[relay] : undefined
  const rate = flagRate ?? (settings.rate_per_minute !== undefined ? settings.rate_per_minute / 60 : preset?.rate)
  const dailyLimit = settings.daily_limit ?? preset?.dailyLimit
  const from = settings.daily_limit !== undefined ? 'send.daily_limit in content/settings.yml' : preset ? `${preset.label}: ${preset.source}` : 'settings'
  return { rate, dailyLimit, from }
}
