import { readFile } from 'node:fs/promises'
import { loadConfig } from './src/config.ts'
import { parseDoc } from './src/content/load.ts'
import { loadLayouts } from './src/email/layout.ts'
import { renderDoc } from './src/build.ts'
import { renderParts } from './src/markdown/parts.ts'
import { buildEmail } from './src/email/build-email.ts'
import { renderDocPage } from './src/site/build-site.ts'
const { config } = await loadConfig(); const layouts = await loadLayouts('layouts/email')
const text = await readFile('content/issues/2026-11.md', 'utf8')
const acc = { parse: 0, parts: 0, email: 0, archive: 0 }
for (let i = 0; i < 40; i++) {
  const t1 = performance.now()
  const doc = parseDoc('x.md', text, 'issue').doc!; const t2 = performance.now()
  const parts = renderParts(doc, { locale: 'en-GB' }); const t3 = performance.now()
  await buildEmail(parts, config!.settings, layouts); const t4 = performance.now()
  await renderDocPage(parts, config!); const t5 = performance.now()
  if (i >= 10) { acc.parse += t2-t1; acc.parts += t3-t2; acc.email += t4-t3; acc.archive += t5-t4 }
}
console.log(Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, (v/30).toFixed(1)])))
