import { describe, expect, it } from 'vitest'
import { approveText, contentDigest, partsOf } from '../../src/content/approval.ts'
import { editFrontMatter, findFrontMatter } from '../../src/content/front-matter.ts'
import { peekIssue } from '../../src/content/load.ts'
import { appendNoticeUpdate } from '../../src/content/update-notice.ts'

const update = { time: '2026-12-01T09:00', state: 'identified' as const, text: 'Found it: a "bad" driver.' }

describe('findFrontMatter', () => {
  it('finds the YAML between the fences, after a BOM, with CRLF, under `---yaml`, and empty', () => {
    expect(findFrontMatter('---\ntitle: T\n---\nBody\n')).toEqual({ yaml: 'title: T\n', start: 4, end: 13, bodyStart: 17 })
    expect(findFrontMatter('\uFEFF---\r\ntitle: T\r\n---\r\nBody\r\n')).toEqual({ yaml: 'title: T\r\n', start: 6, end: 16, bodyStart: 21 })
    expect(findFrontMatter('---yaml\ntitle: T\n---')).toEqual({ yaml: 'title: T\n', start: 8, end: 17, bodyStart: 20 })
    expect(findFrontMatter('---\n---\nBody')).toEqual({ yaml: '', start: 4, end: 4, bodyStart: 8 })
    expect(findFrontMatter('Body\n---\ntitle: T\n---\n')).toBeUndefined()
    expect(findFrontMatter('---js\ntitle: T\n---\n')).toBeUndefined()
    expect(findFrontMatter('---\ntitle: T\n')).toBeUndefined()
  })
})

describe('editFrontMatter', () => {
  it('sets values in place, keeping each quoting style, aligned comments, wrapped lines and folded text', () => {
    const text = [
      '---',
      "title: 'It''s down'     # aligned",
      'status: "review"  # quoted',
      'state: investigating',
      'summary: a plain line',
      '  wrapped onto the next',
      'impact: >',
      '  folded text',
      '  over two lines',
      '---',
      'Body',
    ].join('\n')
    expect(
      editFrontMatter(text, [
        { set: 'title', value: "It's back" },
        { set: 'status', value: 'approved' },
        { set: 'state', value: 'resolved' },
      ]),
    ).toBe(text.replace("'It''s down'", "'It''s back'").replace('"review"', '"approved"').replace('state: investigating', 'state: resolved'))
  })

  it('fills an empty value, keeping its comment, and replaces a block value with a line', () => {
    const text = '---\nnext_update:\nby: # who\nnote: |\n  two\n  lines\nend: x\n---\n'
    expect(
      editFrontMatter(text, [
        { set: 'next_update', value: '2026-12-01T10:00' },
        { set: 'by', value: 'Sam' },
        { set: 'note', value: 'one' },
      ]),
    ).toBe('---\nnext_update: 2026-12-01T10:00\nby: Sam # who\nnote: one\nend: x\n---\n')
  })

  it('quotes a value that its style cannot hold, so it reads back the same', () => {
    const written = (value: string, line: string) => editFrontMatter(`---\n${line}\n---\n`, [{ set: 'by', value }]).slice(4, -5)
    const values = ['plain words', 'a: b', '# not a comment', '14', 'true', '- dash', "it's", '"quoted"', 'line\nbreak']
    expect(values.map((value) => [written(value, 'by: Sam'), written(value, "by: 'Sam'")])).toEqual([
      ['by: plain words', "by: 'plain words'"],
      ['by: "a: b"', "by: 'a: b'"],
      ['by: "# not a comment"', "by: '# not a comment'"],
      ['by: "14"', "by: '14'"],
      ['by: "true"', "by: 'true'"],
      ['by: "- dash"', "by: '- dash'"],
      ["by: it's", "by: 'it''s'"],
      ['by: \'"quoted"\'', 'by: \'"quoted"\''],
      ['by: "line\\nbreak"', 'by: "line\\nbreak"'],
    ])
  })

  it('adds a new key after the one named, else at the end, and deletes a key with the comment on its line', () => {
    const text = '---\nstatus: draft\n# The summary\nsummary: S\nnext_update: 2026-12-01T10:00 # promised\ntags: []\n---\n'
    expect(
      editFrontMatter(text, [
        { set: 'approved_by', value: 'Dana', quoted: true, after: 'status' },
        { set: 'approved_at', value: '2026-11-02T09:15', after: 'missing' },
        { delete: 'next_update' },
        { delete: 'missing' },
      ]),
    ).toBe('---\nstatus: draft\napproved_by: "Dana"\n# The summary\nsummary: S\ntags: []\napproved_at: 2026-11-02T09:15\n---\n')
  })

  it('appends to a list in the indentation it has, to a flow list in flow style, and to an empty key', () => {
    const item = { append: 'updates', item: { time: '09:00', text: 'A "b"' }, quoted: ['text'] } as const
    expect(editFrontMatter('---\nupdates:\n- time: 08:00\n  text: "a"\nx: 1\n---\n', [item])).toBe(
      '---\nupdates:\n- time: 08:00\n  text: "a"\n- time: 09:00\n  text: "A \\"b\\""\nx: 1\n---\n',
    )
    expect(editFrontMatter('---\nupdates: [ { time: 08:00 } ] # flow\n---\n', [item])).toBe(
      '---\nupdates: [ { time: 08:00 }, { time: 09:00, text: "A \\"b\\"" } ] # flow\n---\n',
    )
    expect(editFrontMatter('---\nupdates: # none yet\nx: 1\n---\n', [item])).toBe('---\nupdates: # none yet\n  - time: 09:00\n    text: "A \\"b\\""\nx: 1\n---\n')
    expect(editFrontMatter('---\n---\n', [item, { set: 'state', value: 'identified' }])).toBe(
      '---\nupdates:\n  - time: 09:00\n    text: "A \\"b\\""\nstate: identified\n---\n',
    )
  })

  it('says what is wrong when there is nothing it can edit', () => {
    expect(() => editFrontMatter('Body only\n', [{ delete: 'x' }])).toThrow('The file has no front matter to change')
    expect(() => editFrontMatter('---\ntitle: [\n---\n', [{ delete: 'x' }])).toThrow('The front matter is not valid YAML; fix it before changing it')
    expect(() => editFrontMatter('---\n- a\n---\n', [{ delete: 'x' }])).toThrow('The front matter is not a set of `key: value` lines')
    expect(() => editFrontMatter('---\nupdates: x\n---\n', [{ append: 'updates', item: {} }])).toThrow('`updates` in the front matter is not a list')
  })
})

describe('approve and update on a Windows file', () => {
  // Saved by Notepad: a UTF-8 byte order mark, CRLF line ends, and the author's comments.
  const windows = [
    '\uFEFF---',
    '# Printers notice',
    'title: "Printers: down"   # the subject',
    'date: 2026-12-01',
    'status: review',
    'summary: "Printing is down."',
    'service: Printing',
    'state: investigating # so far',
    'impact: "Nobody can print."',
    'next_update: 2026-12-01T10:00',
    'updates:',
    '  # Oldest first.',
    '  - time: 2026-12-01T09:00',
    '    state: investigating',
    '    text: "Looking."',
    '---',
    '',
    'Body.',
    '',
  ].join('\r\n')

  it('approves it changing only the approval lines, byte for byte', () => {
    const approved = approveText(windows, { by: 'Dana', at: '2026-12-01T09:10' })
    const digest = contentDigest(windows)
    expect(Buffer.from(approved)).toEqual(
      Buffer.from(windows.replace('status: review\r\n', `status: approved\r\napproved_by: "Dana"\r\napproved_at: 2026-12-01T09:10\r\napproved_digest: ${digest}\r\napproved_parts: "${partsOf(windows)}"\r\napproved_next_update: 2026-12-01T10:00\r\n`)),
    )
    expect(contentDigest(approved)).toBe(digest)
    // The digest is of content: the same text with LF and no BOM has the same one.
    expect(contentDigest(windows.replace(/\r\n/g, '\n').slice(1))).toBe(digest)
  })

  it('appends an update changing only the update lines, byte for byte', () => {
    const { text, line } = appendNoticeUpdate(windows, { ...update, nextUpdate: '2026-12-01T11:00' })
    expect(Buffer.from(text)).toEqual(
      Buffer.from(
        windows
          .replace('state: investigating #', 'state: identified #')
          .replace('next_update: 2026-12-01T10:00', 'next_update: 2026-12-01T11:00')
          .replace(
            '    text: "Looking."\r\n',
            '    text: "Looking."\r\n  - time: 2026-12-01T09:00\r\n    state: identified\r\n    text: "Found it: a \\"bad\\" driver."\r\n',
          ),
      ),
    )
    expect(line).toBe(16)
  })
})

describe('peekIssue', () => {
  it('reads `issue` through the YAML reader, with or without a comment, BOM or CRLF', () => {
    expect(peekIssue('---\ntitle: T\nissue: 14 # the 14th\n---\n').number).toBe(14)
    expect(peekIssue('\uFEFF---\r\nissue: 7\r\n---\r\n').number).toBe(7)
    expect(peekIssue('---\ntitle: T\n---\nissue: 3\n').number).toBeUndefined()
    expect(peekIssue('---\nissue: "14"\n---\n').number).toBeUndefined()
    expect(peekIssue('---\nnested:\n  issue: 2\n---\n').number).toBeUndefined()
  })

  it('reads `projects` only when they pass the schema, and none as an empty list', () => {
    expect(peekIssue('---\nissue: 3\nprojects:\n  - { id: wifi, name: Wi-Fi, status: delayed, eta: 2027-03 }\n---\n').projects).toEqual([
      { id: 'wifi', name: 'Wi-Fi', status: 'delayed', eta: '2027-03' },
    ])
    expect(peekIssue('---\nissue: 3\n---\n').projects).toEqual([])
    expect(peekIssue('---\nissue: 3\nprojects:\n  - { name: Wi-Fi, status: late }\n---\n').projects).toBeUndefined()
  })
})
