import { describe, expect, it } from 'vitest'
import { renderEmail } from '../helpers/render.ts'

const frontMatter = (summary: string) => `---\ntitle: Safety\nissue: 1\ndate: 2026-11-03\nsummary: '${summary}'\n---\n`

const attacks = [
  '<script>alert("body-script")</script>',
  '<img src="x.png" alt="pic" onerror="alert(\'img-onerror\')">',
  '[click](javascript:alert("js-link"))',
  '<a href="javascript:alert(\'raw-js\')">raw</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD4=">data link</a>',
  '<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="data image">',
  '<iframe src="https://evil.example.com/frame"></iframe>',
  '<form action="https://evil.example.com/steal"><input name="password"></form>',
  '<p onclick="alert(\'p-onclick\')">Paragraph</p>',
  '<style>body { display: none }</style>',
].join('\n\n')

describe('sanitizing Markdown HTML', () => {
  it('removes scripts, handlers, javascript:/data: URLs, iframes and forms from the body, in both parts', async () => {
    const email = await renderEmail(`${frontMatter('Fine.')}\n${attacks}\n`)
    for (const output of [email.html, email.text]) {
      expect(output).not.toMatch(
        /body-script|img-onerror|js-link|raw-js|p-onclick|evil\.example\.com|javascript:|data:text|data:image|<iframe|<form|onerror=|onclick=/i,
      )
    }
    // The harmless parts survive.
    expect(email.html).toContain('alt="pic"')
    expect(email.html).toContain('Paragraph')
    expect(email.text).toContain('Paragraph')
  })

  it('sanitizes front-matter prose too', async () => {
    const email = await renderEmail(frontMatter('Hello <script>alert(1)</script><b onmouseover="steal()">there</b> [x](javascript:alert(2))'))
    expect(email.html).not.toMatch(/<script>alert|onmouseover|steal\(\)|javascript:/)
    expect(email.text).not.toMatch(/alert\(1\)|steal\(\)|javascript:/)
    expect(email.html).toContain('<b>there</b>')
  })

  it('escapes front-matter text fields rather than interpreting them as HTML', async () => {
    const email = await renderEmail(`---\ntitle: 'Use <Ctrl> & <Alt>'\nissue: 1\ndate: 2026-11-03\nsummary: S\n---\n`)
    expect(email.html).toContain('Use &lt;Ctrl&gt; &amp; &lt;Alt&gt;')
    expect(email.subject).toBe('Use <Ctrl> & <Alt>')
  })
})

describe('raw HTML cannot leak between sections', () => {
  it('keeps a stray closing tag inside its own section', async () => {
    const email = await renderEmail(`${frontMatter('Fine.')}\n## One\n\nFirst </div></div> text\n\n## Two\n\nSecond text\n`)
    const one = email.html.indexOf('First')
    const two = email.html.indexOf('>Two<')
    expect(one).toBeGreaterThan(0)
    expect(two).toBeGreaterThan(one)
    expect(email.html.indexOf('Second text')).toBeGreaterThan(two)
  })
})
