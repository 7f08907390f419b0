/** How an export writes the time to the first response, when it has that column. */
export type FirstResponseUnit =
  /** A number of hours (Freshservice's `First Response Time (in Hrs)`), or `hh:mm`. */
  | 'hours'
  /** A number of minutes (Zendesk's `First reply time in minutes`). */
  | 'minutes'
  /**
   * The SLA clock's time left when the first response came, `hh:mm`, negative when breached (Jira Service Management):
   * the time taken is the goal minus this, so it is read only when `numbers.first_response_goal_hours` is set.
   */
  | 'sla-remaining'

/** What one helpdesk's CSV export looks like: the columns that identify it and the ones the numbers read. */
export interface TicketProfile {
  /** The helpdesk, as messages name it. */
  name: string
  /** Header names (case-insensitive) that are all there in this helpdesk's export and together in no other's. */
  detect: readonly string[]
  /** For each figure, the column names to look for, in order of preference. */
  columns: {
    created: readonly string[]
    resolved: readonly string[]
    category: readonly string[]
    channel: readonly string[]
    firstResponse: readonly string[]
  }
  firstResponseUnit?: FirstResponseUnit
}

/**
 * The helpdesks whose exports are recognised from their header row, with the column names their documentation and
 * their default list views use. Dates are read by `readTicketTime` whatever the profile: each tool writes its own.
 */
export const ticketProfiles: readonly TicketProfile[] = [
  {
    // Incident list → Export → CSV: field names as columns, dates as `2026-10-03 09:12:00` in the user's time zone.
    name: 'ServiceNow',
    detect: ['number', 'opened_at'],
    columns: {
      created: ['opened_at', 'sys_created_on'],
      resolved: ['resolved_at', 'closed_at'],
      category: ['category', 'subcategory'],
      channel: ['contact_type'],
      firstResponse: [],
    },
  },
  {
    // Issue search → Export → CSV (all fields): `12/Mar/26 9:05 AM`; SLA fields as the time left on the clock.
    name: 'Jira Service Management',
    detect: ['issue key', 'created'],
    columns: {
      created: ['created'],
      resolved: ['resolved'],
      category: ['custom field (request type)', 'issue type'],
      channel: ['custom field (source)'],
      firstResponse: ['custom field (time to first response)'],
    },
    firstResponseUnit: 'sla-remaining',
  },
  {
    // Reporting → Export → CSV: `2026-10-03 09:12:00 +0100`, the reply and resolution times in minutes.
    name: 'Zendesk',
    detect: ['created at', 'solved at'],
    columns: {
      created: ['created at'],
      resolved: ['solved at'],
      category: ['category', 'category [list]', 'type'],
      channel: ['via'],
      firstResponse: ['first reply time in minutes'],
    },
    firstResponseUnit: 'minutes',
  },
  {
    // Tickets → Export (CSV): `2026-10-03 09:12:00`, the first response in hours.
    name: 'Freshservice',
    detect: ['created time', 'resolved time'],
    columns: {
      created: ['created time'],
      resolved: ['resolved time'],
      category: ['category', 'type'],
      channel: ['source'],
      firstResponse: ['first response time (in hrs)'],
    },
    firstResponseUnit: 'hours',
  },
  {
    // Assistance → Tickets → export "CSV": UTF-8 with a BOM, `;` between fields, `2026-10-03 09:12`.
    name: 'GLPI',
    detect: ['opening date'],
    columns: {
      created: ['opening date'],
      resolved: ['resolution date', 'closing date'],
      category: ['category'],
      channel: ['request source'],
      firstResponse: [],
    },
  },
]

/** Column names recognised in any other export (case-insensitive, in order of preference); `new.tickets` can name others. */
export const genericProfile: TicketProfile = {
  name: 'ticket export',
  detect: [],
  columns: {
    // Freshdesk: Category, Subject, Type.
    category: ['category', 'request type', 'custom field (request type)', 'topic', 'type', 'subject', 'summary', 'short_description', 'short description', 'title'],
    created: ['created', 'created at', 'created_at', 'created time', 'created date', 'date created', 'opened', 'opened at', 'opened_at', 'sys_created_on', 'date'],
    resolved: ['resolved', 'resolved at', 'resolved_at', 'resolved time', 'solved at', 'closed', 'closed at', 'closed_at'],
    channel: ['channel', 'source', 'via', 'contact type', 'contact_type'],
    firstResponse: [],
  },
}
