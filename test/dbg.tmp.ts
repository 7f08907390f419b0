import { rm } from 'node:fs/promises'
import { launchBrowser } from './helpers/browser.ts'
import { serveStatic } from './helpers/static-server.ts'
import { buildFixtureSite } from './site/fixture.ts'
const site = await buildFixtureSite({ drafts: false })
const server = await serveStatic(site.dir, '/it-news/')
const b = await launchBrowser()
const jobs = JSON.parse(process.argv[2]!) as [string, number, 'light' | 'dark', string | null][]
for (const [path, w, scheme, sel] of jobs) {
  const p = await b.newPage({ viewport: { width: w, height: 800 }, colorScheme: scheme })
  await p.goto(server.url + path)
  const name = `/tmp/shots/${path.replace(/\W+/g, '-')}${sel ? sel.replace(/\W+/g, '-') : ''}-${w}-${scheme}.png`
  if (sel) {
    const box = (await p.locator(sel).first().boundingBox())!
    await p.screenshot({ path: name, fullPage: true, clip: { x: 0, y: Math.max(0, box.y - 40), width: w, height: Math.min(box.height + 80, 1400) } })
  } else await p.screenshot({ path: name })
  console.log(name)
  await p.close()
}
await b.close(); await server.close(); await rm(site.root, { recursive: true, force: true })
