import { join } from 'node:path'
import { Session } from 'node:inspector/promises'
import { writeFileSync } from 'node:fs'
import type * as C from '../src/check/checker.ts'
import type * as G from '../src/check/glossary.ts'
import type * as K from '../src/config.ts'
import type * as L from '../src/content/load.ts'
import type * as E from '../src/email/build-email.ts'
import type * as Y from '../src/email/layout.ts'
import type * as P from '../src/markdown/parts.ts'
import { compiled } from './lib.ts'
const { createChecker } = await compiled<typeof C>('check/checker.js')
const { loadGlossary } = await compiled<typeof G>('check/glossary.js')
const { loadConfig } = await compiled<typeof K>('config.js')
const { loadContent } = await compiled<typeof L>('content/load.js')
const { buildEmail } = await compiled<typeof E>('email/build-email.js')
const { loadLayouts } = await compiled<typeof Y>('email/layout.js')
const { renderParts } = await compiled<typeof P>('markdown/parts.js')
const root = join(import.meta.dirname, '..')
const { config } = await loadConfig({ root: join(root, 'test', 'fixtures', 'project') })
const layouts = await loadLayouts(join(root, 'layouts/email'), root)
const samples = await loadContent(join(root, 'test', 'fixtures', 'project', 'content'), root)
const { glossary } = await loadGlossary(join(root, 'test', 'fixtures', 'project', 'content', 'glossary.yml'), 'glossary.yml')
const docs = samples.flatMap(({ doc }) => (doc ? [doc] : []))
const emails = await Promise.all(docs.map((doc) => buildEmail(renderParts(doc), config!.settings, layouts)))
const pages = new Set(docs.map((doc) => `${doc.meta.kind === 'issue' ? 'issues' : 'notices'}/${doc.slug}`))
const checker = await createChecker(config!, { glossary, pages })
for (const [i, doc] of docs.entries()) await checker.checkDoc(doc, emails[i]!)
const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.start')
const cpu = process.cpuUsage()
for (let r = 0; r < 300; r++) for (const [i, doc] of docs.entries()) await checker.checkDoc(doc, emails[i]!)
const used = process.cpuUsage(cpu)
console.log('cpu ms per doc', (used.user + used.system) / 1000 / 300 / docs.length)
const { profile } = await session.post('Profiler.stop')
writeFileSync('/tmp/prof/loop.cpuprofile', JSON.stringify(profile))
