// The small word lists the plain-language detectors read: grammar words, not vocabulary (that is it-words.ts).

/** Words between the initials of a spelled-out acronym: "bring your own device", "point of sale". */
export const smallWords = new Set(['of', 'and', 'the', 'for', 'to', 'a', 'an', 'in', 'on', 'as', 'at', 'by', 'with', 'or'])

/** Shouted words, not acronyms: "do NOT click", "tap YES". */
export const shouted = new Set([
  'NOT',
  'NO',
  'YES',
  'DO',
  'NEVER',
  'ALWAYS',
  'NOW',
  'ONLY',
  'ALL',
  'STOP',
  'URGENT',
  'IMPORTANT',
  'WARNING',
  'NOTE',
  'OFF',
  'ON',
  'OR',
  'AND',
  'THE',
  'NEW',
  'FREE',
])

/** Forms of "to be", for passives: "Service has been restored", "Mistakes were made". */
export const beVerbs = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being'])

/** Be-verbs of what already happened: the passives that can hide who did it. */
export const pastBeVerbs = new Set(['was', 'were', 'been'])

/** Auxiliaries that start a passive: "has been restored", "will be fixed". */
export const auxiliaries = new Set(['has', 'have', 'had', 'will', 'would', 'can', 'could', 'should', 'may', 'might', 'must'])

/** Words that may stand between a be-verb and its participle: "was not changed", "has already been fixed". */
export const passiveFillers = new Set(['not', 'now', 'already', 'also', 'just', 'still', 'then'])

/** Irregular past participles (regular ones end in -ed). */
export const irregularParticiples = new Set([
  'made',
  'taken',
  'given',
  'found',
  'sent',
  'told',
  'shown',
  'seen',
  'brought',
  'put',
  'run',
  'broken',
  'written',
  'held',
  'kept',
  'left',
  'built',
  'chosen',
  'understood',
  'felt',
  'thought',
])

/** Participles that describe a state readers need to know, not an action someone hid: "Nothing is lost", "Email is not affected". */
export const stateParticiples = new Set([
  'lost',
  'affected',
  'delayed',
  'closed',
  'located',
  'based',
  'connected',
  'required',
  'allowed',
  'expected',
  'used',
  'supposed',
  'logged',
  'signed',
  'set',
  'done',
  'gone',
  'finished',
  'limited',
  'scheduled',
  'planned',
  'known',
  'interested',
  'involved',
  'concerned',
  'pleased',
  'advised',
  'requested',
  'unaffected',
  'protected',
  'encrypted',
  'included',
  'attached',
  'asked',
])

/** Words after "caused by" that name who did it: "caused by our mistake", "caused by us". */
export const selfWords = new Set(['we', 'us', 'our', 'i', 'me', 'my'])

/** After "by", a time rather than who did it: "by 11:00", "by Friday", "by the end of the day". */
export const timeWords = new Set([
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'then',
  'now',
  'today',
  'tonight',
  'tomorrow',
  'noon',
  'midnight',
  'lunchtime',
  'morning',
  'evening',
])

/** Words that join the capitalised words of a name: "Defender for Endpoint", "Windows Hello for Business". "and" is left
 * out: it joins two names in a list more often than it stands inside one. */
export const nameJoiners = new Set(['for', 'of', '&'])

/**
 * Parts of hyphenated words that say nothing about whether the word is known: "re-imaged", "multi-factor".
 */
export const hyphenPrefixes = new Set(['re', 'pre', 'post', 'co', 'non', 'un', 'sub', 'anti', 'auto', 'self', 'semi', 'inter', 'cross', 'mid', 'multi', 'e'])

/** Prefixes a word written solid may carry before an everyday word: "resubmit", "unpatched", "misconfigured". */
export const wordPrefixes = ['over', 'under', 'mis', 'dis', 'pre', 're', 'un']

/**
 * Derivational endings and what the everyday word may end in instead: "reprocessing" → "process",
 * "hierarchical" → "hierarchy", "implementation" → "implement".
 */
export const wordSuffixes: readonly (readonly [string, readonly string[]])[] = [
  ['ically', ['ic', 'y', '']],
  ['ical', ['ic', 'y', '']],
  ['ations', ['ate', 'e', '']],
  ['ation', ['ate', 'e', '']],
  ['ments', ['']],
  ['ment', ['']],
  ['ness', ['']],
  ['ibility', ['ible']],
  ['ability', ['able']],
  ['ably', ['able', 'e', '']],
  ['able', ['e', '']],
  ['iers', ['y']],
  ['ier', ['y']],
  ['ers', ['', 'e']],
  ['er', ['', 'e']],
  ['ing', ['', 'e']],
  ['ed', ['', 'e']],
  ['ly', ['']],
  ['es', ['', 'e']],
  ['s', ['']],
]

/** Products whose one-word name is also a word or looks like an acronym: names, never jargon or acronyms. Kept short on purpose. */
export const productNames = new Set(['SAP', 'OneDrive', 'SharePoint', 'Intune', 'Entra', 'Azure', 'Okta', 'Jira', 'Webex', 'Workday', 'ServiceNow', 'Citrix'])
