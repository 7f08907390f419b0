import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDoc } from '../../src/content/load.ts'
import { createLexicon } from '../../src/check/lexicon.ts'
import { stemsOf } from '../../src/check/rare-word-rule.ts'
import { wordForms } from '../../src/check/words.ts'
import { checkFixtures, sampleSettings } from '../helpers/check.ts'

// A folder that does not exist: no glossary.yml, only the built-in words.
const dir = join(import.meta.dirname, '../fixtures/check-plain-words')
const front = '---\ntitle: "Fixture"\nissue: 1\ndate: 2026-11-01\nsummary: "A short summary."\n---\n\n'

async function findings(body: string, kind: 'issue' | 'notice' = 'issue', head = front): Promise<string[]> {
  const messages = await checkFixtures(dir, [parseDoc('doc.md', head + body, kind)])
  return messages.filter((m) => m.rule.startsWith('plain/') && !m.rule.endsWith('readability')).map((m) => `${m.line}:${m.column} ${m.message} (${m.rule})`)
}

describe('words, not strings', () => {
  it('matches inflections and British spellings of a phrase', () => {
    expect(wordForms('provisioned')).toContain('provision')
    expect(wordForms('patches')).toContain('patch')
    expect(wordForms('utilised')).toContain('utilize')
    expect(wordForms('endeavour')).toContain('endeavor')
    expect(wordForms('reimaged')).toContain('reimage')
  })

  // Before issue 26 the quoted "tenants" was flagged too: quoted text is someone else's words now, left as it is.
  it('finds jargon in brackets, lists and leading labels, and in every form, but not in quotes', async () => {
    expect(await findings('Remediation: we provisioned "tenants" (and endpoints), laptops, endpoints, and phones.\n')).toEqual([
      '8:1 `Remediation` is IT jargon: say "fix" (plain/jargon)',
      '8:17 `provisioned` is IT jargon: say "set up" (plain/jargon)',
      '8:44 `endpoints` is IT jargon: say "laptop, desktop or phone" (plain/jargon)',
      '8:65 `endpoints` is IT jargon: say "laptop, desktop or phone" (plain/jargon)',
    ])
  })

  it('merges the project glossary over the built-in one: its entries win, and plain_enough silences built-in words', () => {
    const lexicon = createLexicon({ terms: [{ term: 'firmware', use: 'the software inside it' }], known: new Set(), plainEnough: ['failover', 'leverage'] }, {})
    const jargon = (phrase: string) => {
      const value = lexicon.phrases.find([
        { text: phrase, normal: phrase, forms: wordForms(phrase), start: { line: 1, column: 1 }, afterBreak: false, word: phrase, part: 0 },
      ])[0]?.value
      return value?.kind === 'jargon' ? value.term : value?.kind
    }
    expect(jargon('firmware')).toEqual({ term: 'firmware', use: 'the software inside it' })
    expect(jargon('hotfix')).toEqual({ term: 'hotfix', use: '"quick fix" or "urgent update"' })
    expect(jargon('failover')).toBeUndefined()
    expect(jargon('leverage')).toBeUndefined()
  })

  it('matches an acronym only in capitals: not "cab", "San Diego", "raided" or "ids"', async () => {
    expect(await findings('Book a cab to San Diego; the police raided it and checked ids. Our SANs are full.\n')).toEqual([
      '8:68 `SANs` is IT jargon: say "the storage system" or "the shared drives" (plain/jargon)',
    ])
  })

  it('finds wordy phrases in any form and spelling', async () => {
    expect(await findings('We utilised the portal. In the event that it fails, we will endeavour to help.\n')).toEqual([
      '8:4 Prefer plain words: `utilised`, use `use` instead (plain/simpler)',
      '8:25 Prefer plain words: `In the event that`, use `if` instead (plain/simpler)',
      '8:61 Prefer plain words: `endeavour`, use `try` instead (plain/simpler)',
    ])
  })

  it('stays quiet on units, update ids, CVEs, versions, times, everyday acronyms, shouted words and IT verbs', async () => {
    const plain = [
      'Type your password on the screen, then check your monitor. Raise a request if it fails.',
      'The file is 5 MB, your mailbox holds 50 GB, OneDrive holds 1 TB, and the line runs at 10 Gbps or 100 Mbps.',
      'Update KB5036893 (version 23H2, build 22631.3447) fixes CVE-2026-20155. Install it before 17:00 or 5 PM.',
      'Save it as a PDF on a USB stick, or send it from your PC over the Wi-Fi. IT will check it is OK.',
      'When the app asks "Was this you?", tap "YES". If it says "OFFLINE", press F5.',
    ]
    expect(await findings(plain.join('\n\n') + '\n')).toEqual([])
  })

  it('counts "words (ABC)" and "ABC (words)" as spelling an acronym out, and does not flag the words', async () => {
    expect(
      await findings(
        'Sign in with multi-factor authentication (MFA) from today. MFA asks for a code.\n\nThe CAB (the group that approves changes) meets on Monday.\n',
      ),
    ).toEqual(['10:5 `CAB` is IT jargon: say "the group that approves changes" (plain/jargon)'])
  })

  it('spells out an acronym where it first appears in reading order, front matter first', async () => {
    const head = front.replace('A short summary.', 'The new heating, ventilation and air conditioning (HVAC) system is in.')
    expect(await findings('The HVAC system in Leeds is new. Ask the FM desk.\n', 'issue', head)).toEqual([
      '8:42 `FM` is not spelled out the first time it is used (plain/acronym)',
    ])
  })

  it('waits until after a title or a name for a term to be explained or an acronym spelled out, and flags an acronym there', async () => {
    const head = front.replace('title: "Fixture"', 'title: "Ransomware and the new CMDB"')
    expect(await findings('Ransomware locks your files. The CMDB lists every laptop.\n', 'issue', head)).toEqual([
      '2:32 `CMDB` in a title is not spelled out (plain/acronym)',
      '8:1 `Ransomware` is IT jargon: explain it the first time (plain/jargon)',
      '8:34 `CMDB` is not spelled out the first time it is used (plain/acronym)',
    ])
  })

  it("checks a patch's title, a threat's name and a project's name, as titles", async () => {
    const head = front.replace(
      '---\n\n',
      'patches:\n  - title: "EMS agent hotfix"\n    action: "Nothing to do."\nthreat:\n  name: "Smishing wave"\n  summary: "Scam texts (smishing) ask for your password."\nprojects:\n  - name: "Tenant merge"\n    status: planned\n---\n\n',
    )
    expect(await findings('More next month.\n', 'issue', head)).toEqual([
      '7:13 `EMS` in a title is not spelled out (plain/acronym)',
      '7:23 `hotfix` is IT jargon: say "quick fix" or "urgent update" (plain/jargon)',
      '10:10 `Smishing` is IT jargon: say "scam text messages" (plain/jargon)',
      '11:25 `smishing` is IT jargon: say "scam text messages" (plain/jargon)',
      '13:12 `Tenant` is IT jargon: say "our Microsoft 365" or "our account" (plain/jargon)',
    ])
  })

  it("checks a notice's service and warns about passives there", async () => {
    const head =
      '---\ntitle: "Storage: working again"\ndate: 2026-11-01\nsummary: "The shared drive works again."\nservice: SAN cluster\nstate: resolved\nimpact: "Nobody could open files."\n---\n\n'
    expect(await findings('Service has been restored.\n', 'notice', head)).toEqual([
      '5:10 `SAN` is IT jargon: say "the storage system" or "the shared drives" (plain/jargon)',
      '5:14 `cluster` is IT jargon: say "group of servers" (plain/jargon)',
      '10:9 `has been restored` does not say who did it (plain/passive)',
    ])
  })

  it("returns its messages and leaves the document's own file as it was, so checking twice repeats nothing", async () => {
    const loaded = parseDoc('doc.md', `${front}We will utilize the portal.\n`, 'issue')
    const first = await checkFixtures(dir, [loaded])
    const second = await checkFixtures(dir, [loaded])
    expect(loaded.file.messages).toEqual([])
    expect(first.map((m) => `${m.line}:${m.column} ${m.rule}`)).toEqual(['8:9 plain/simpler'])
    expect(second).toEqual(first)
  })

  it('reads "by" as who did it, unless a time follows', async () => {
    const head =
      '---\ntitle: "Printers: back on"\ndate: 2026-11-01\nsummary: "The printers work again."\nservice: Printers\nstate: resolved\nimpact: "Nobody could print."\n---\n\n'
    expect(
      await findings('The part was fitted by our supplier. A new one was ordered and arrives by 11:00. The fix was tested by Friday.\n', 'notice', head),
    ).toEqual(['10:48 `was ordered` does not say who did it (plain/passive)', '10:90 `was tested` does not say who did it (plain/passive)'])
  })

  it('warns about passives that hide who did something already done, not about facts and plans', async () => {
    const head =
      '---\ntitle: "Email: delayed"\ndate: 2026-11-01\nsummary: "Email is slow."\nservice: Email\nstate: identified\nimpact: "Mail arrives late."\n---\n\n'
    expect(
      await findings('Mail is being queued and will be delivered. Nothing is lost. A setting was changed and mistakes were made.\n', 'notice', head),
    ).toEqual(['10:72 `was changed` does not say who did it (plain/passive)', '10:97 `were made` does not say who did it (plain/passive)'])
  })

  // Before issue 26 issues were left alone unless plain/passive had a severity; now the rule is on everywhere.
  it('warns about passives in issues too, and not when plain/passive is off', async () => {
    expect(await findings('Service has been restored.\n')).toEqual(['8:9 `has been restored` does not say who did it (plain/passive)'])
    const settings = await sampleSettings({ checks: { rules: { 'plain/passive': 'off' } } })
    const messages = await checkFixtures(dir, [parseDoc('doc.md', `${front}Service has been restored.\n`, 'issue')], { settings })
    expect(messages.filter((m) => m.rule === 'plain/passive')).toEqual([])
  })
})

describe('words nobody says', () => {
  it('flags a word that is rare in speech and on no list, at every use, whole when hyphenated', async () => {
    expect(await findings('The switchover slipped. After the switchover, run the non-idempotent job on every datastore.\n')).toEqual([
      '8:5 `switchover` is not an everyday word: say it in plain words, or explain it (plain/jargon)',
      '8:35 `switchover` is not an everyday word: say it in plain words, or explain it (plain/jargon)',
      '8:55 `non-idempotent` is not an everyday word: say it in plain words, or explain it (plain/jargon)',
      '8:83 `datastore` is not an everyday word: say it in plain words, or explain it (plain/jargon)',
    ])
  })

  it('calls "X-first", "X-centric", "X-driven", "X-native" and "X-agnostic" buzzwords', async () => {
    expect(await findings('Our mobile-first, data-driven plan is device-agnostic. Come first-come.\n')).toEqual([
      '8:5 `mobile-first` is a buzzword: say what it means (plain/simpler)',
      '8:19 `data-driven` is a buzzword: say what it means (plain/simpler)',
      '8:39 `device-agnostic` is a buzzword: say what it means (plain/simpler)',
    ])
  })

  it('leaves names, everyday computing words, plain_enough and explained words alone', async () => {
    expect(await findings('Open Okta in your browser. Microsoft sends a screenshot to your inbox. The commonest question was about e-mail.\n')).toEqual([])
    expect(await findings('A switchover (the moment we move to the new system) is on Friday. After the switchover, log in again.\n')).toEqual([])
    expect(await findings('Checksum: a number that shows a file arrived whole.\n')).toEqual([])
    const lexicon = createLexicon({ terms: [], known: new Set(), plainEnough: ['datastore'] }, {})
    expect(lexicon.everyday.has('datastore')).toBe(true)
  })

  it('flags a rare word at the start of a sentence when it is a word, not a name', async () => {
    expect(await findings('Checksum errors are rising. Okta is down.\n')).toEqual([
      '8:1 `Checksum` is not an everyday word: say it in plain words, or explain it (plain/jargon)',
    ])
  })
})

describe('what a writer never argues with (issue 26)', () => {
  it('reads an everyday word through its prefix and ending: resubmitting, reprocessed, unpatched, implementation', async () => {
    expect(await findings('Stop resubmitting forms. Reprocessed orders and unpatched laptops slow the implementation.\n')).toEqual([])
    expect(stemsOf('resubmitting')).toContain('submit')
    expect(stemsOf('hierarchical')).toContain('hierarchy')
  })

  it('never takes a ticket, change, update or advisory number for an acronym', async () => {
    const ids = 'See INC0012345, CHG0034567, RITM0012345, PRB0040012 and KB5046617; Jira key SD-4821, advisories MS24-001, ADV240001 and CVE-2026-1234.'
    expect(await findings(`${ids}\n`)).toEqual([])
  })

  it('leaves the words of a capitalised name alone, but not its acronyms nor a listed term written in capitals', async () => {
    expect(await findings('Microsoft Defender for Endpoint runs on our Microsoft Enterprise Agreement. SAP is slow.\n')).toEqual([])
    expect(await findings('Our Purview DLP is on. Conditional Access blocks it.\n')).toEqual([
      '8:13 `DLP` is IT jargon: say "rules that stop sensitive data leaving the company" (plain/jargon)',
      '8:24 `Conditional Access` is IT jargon: say "rules about which devices and places you can sign in from" (plain/jargon)',
    ])
  })

  it("does not check someone else's words: quotes, single quotes used as quotes, backticks and bold UI labels", async () => {
    const text = [
      'The scam email says "Please be advised that your credentials expire" and \'Kindly utilise the portal\'.',
      "Type `leverage` and select **Leverage synergy**. Our users' files are safe.",
      '**Remediation:** we fixed it.',
    ]
    expect(await findings(`${text.join('\n\n')}\n`)).toEqual(['12:3 `Remediation` is IT jargon: say "fix" (plain/jargon)'])
  })

  it('counts an acronym spelled out anywhere earlier, or explained after a dash or a colon', async () => {
    const text = ['The new Building Management System is in.', 'Next month, BMS starts.', 'CMDB — the list of our kit — is new. FM: the facilities team.']
    expect(await findings(`${text.join('\n\n')}\n`)).toEqual([])
    expect(await findings('Every app gets a new EA.\n')).toEqual(['8:22 `EA` is not spelled out the first time it is used (plain/acronym)'])
  })

  it('flags impersonal and agentless passives, "caused by" unless we say it was us', async () => {
    expect(await findings('It is acknowledged that mail was slow. The outage was caused by a faulty disk. This was caused by our mistake.\n')).toEqual([
      '8:1 `It is acknowledged that` does not say who did it (plain/passive)',
      '8:51 `was caused by` does not say who did it (plain/passive)',
    ])
  })

  it('finds stock apologies and evasions in every tense, spelling and article', async () => {
    const text = 'Apologies for the disruption. We regret any inconvenience this may have caused. A decision has been taken.'
    expect((await findings(`${text}\n`)).map((line) => line.replace(/ is a stock.*/, ''))).toEqual([
      '8:1 `Apologies for the disruption`',
      '8:34 `regret any inconvenience`',
      '8:81 `A decision has been taken`',
    ])
  })

  it('finds formal conditionals, manner and time phrases, and redundant adverbs', async () => {
    const text = 'Should you spot a scam, call us. Work in a careful manner until such time as we completely eliminate the queue, then revert back.'
    expect(await findings(`${text}\n`)).toEqual([
      '8:1 Prefer plain words: `Should you`, use `if you` instead (plain/simpler)',
      '8:39 Prefer plain words: `in a careful manner`, say how in a word (plain/simpler)',
      '8:59 Prefer plain words: `until such time as`, use `until` instead (plain/simpler)',
      '8:81 Prefer plain words: `completely eliminate`, use `eliminate` instead (plain/simpler)',
      '8:118 Prefer plain words: `revert back`, use `revert` instead (plain/simpler)',
    ])
  })
})
