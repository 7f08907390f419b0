// Outlook for Windows lays text out with Word, which reads a line height as "at least" unless told otherwise, so lines
// in the same paragraph come out unevenly spaced. `mso-line-height-rule: exactly` must precede the line height.
const exactly = 'mso-line-height-rule:exactly;'

/** Add `mso-line-height-rule: exactly` wherever a line height is set: in `style` attributes and in `<style>` rules. */
export function exactLineHeights(html: string): string {
  const fix = (declarations: string) =>
    /mso-line-height-rule/i.test(declarations) ? declarations : declarations.replace(/(^|;)(\s*)(line-height\s*:)/i, `$1$2${exactly}$3`)
  return html
    .replace(
      /(<style\b[^>]*>)([\s\S]*?)(<\/style>)/gi,
      (_, open: string, css: string, close: string) => open + css.replace(/\{([^{}]*)\}/g, (__, body: string) => `{${fix(body)}}`) + close,
    )
    .replace(/(\sstyle=")([^"]*)(")/gi, (_, open: string, declarations: string, close: string) => open + fix(declarations) + close)
}
