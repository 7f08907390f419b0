/** What a mail relay allows one sending mailbox, and where that figure is documented. */
export interface RelayPreset {
  label: string
  /** Messages per second the relay accepts from one sender (undefined: no documented rate). */
  rate?: number
  /** Recipients (or messages) per rolling 24 hours (undefined: account-specific, set `send.daily_limit`). */
  dailyLimit?: number
  /** The documentation page the figures come from. */
  source: string
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
    source:
      'Microsoft Learn, "Exchange Online limits", section "Sending limits" (learn.microsoft.com/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits)',
  },
  // The relay service counts 10,000 recipients per user per day; it publishes no per-minute rate.
  'google-workspace-relay': {
    label: 'Google Workspace SMTP relay service (smtp-relay.gmail.com)',
    dailyLimit: 10_000,
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
