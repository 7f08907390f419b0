import { contentDigest } from '../src/content/approval.ts'

/**
 * A realistic monthly issue, numbered `n` (1-based), for benchmarks and pagination tests; its body names a word only it
 * has. It is approved as it stands (its `approved_digest` matches), so a build publishes it and writes its email.
 */
export function syntheticIssue(n: number): { name: string; text: string } {
  const { name, text } = unapproved(n)
  return {
    name,
    text: text.replace(
      'status: approved\n',
      `status: approved\napproved_by: Bench Reviewer\napproved_at: ${name.slice(0, 7)}-01T09:00\napproved_digest: "${contentDigest(text)}"\n`,
    ),
  }
}

/** {@link syntheticIssue} before its approval is recorded. */
function unapproved(n: number): { name: string; text: string } {
  const year = 2000 + Math.floor((n - 1) / 12)
  const month = String(((n - 1) % 12) + 1).padStart(2, '0')
  const slug = `${year}-${month}`
  const text = `---
title: "Issue ${n}: updates, a phishing warning and your questions"
issue: ${n}
date: ${slug}-01
status: approved
summary: "This month's updates, a scam to watch for, and the question you asked most (issue ${n})."
tags: [security, ${n % 2 ? 'windows' : 'macos'}, topic-${n % 20}]
patches:
  - title: Windows 11 cumulative update ${n}
    id: KB${5000000 + n}
    product: Windows 11
    severity: critical
    cves: [CVE-2026-${10000 + n}, CVE-2026-${20000 + n}]
    rollout: ${slug}-01
    restart: true
    action: "Save your work and restart when prompted."
  - title: Browser update ${n}
    product: Google Chrome
    severity: important
    cves: [CVE-2026-${30000 + n}]
    restart: false
threat:
  name: "Invoice scam number ${n}"
  summary: "A fake invoice asks you to **pay urgently**."
  signs:
    - "An unexpected invoice."
    - "Pressure to act now."
  actions:
    - "Do not pay; forward it to the helpdesk."
  report: https://help.example.com/report-phishing
top_question:
  question: "How do I reset my password (asked in issue ${n})?"
  answer: "Go to [the reset page](https://help.example.com/reset) and follow the steps."
  asked: ${20 + (n % 50)}
projects:
  - name: Laptop refresh
    status: on-track
    summary: "Going to plan."
    eta: ${year}-12
incidents:
  - service: VPN
    start: ${slug}-01T08:00
    end: ${slug}-01T09:30
    impact: "Remote staff could not connect."
---

## News from the service desk

We answered more calls than ever this month. Thank you for your patience while we hired two new
people. The word of the month is quasar${n}x, which appears nowhere else.

## Working safely

- Lock your screen when you step away.
- Report anything odd to the helpdesk.

| Day | Topic |
|-----|-------|
| Tuesday | Phishing drop-in |
| Thursday | Password managers |
`
  return { name: `${slug}.md`, text }
}
