import { join, resolve } from 'node:path'
import { portOf, type Command } from './command.ts'
import { collectMessages, formatText } from '../check/messages.ts'
import { loadConfig } from '../config.ts'
import { basePath } from '../site/data.ts'
import { serveSite } from '../site/serve.ts'

/** `newsletter serve`: the built archive on this machine, under the path it will be published at. */
export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve [--port N] [--out DIR]',
  options: { port: { type: 'string', default: '8081' }, out: { type: 'string' } },
  help: {
    '--port N': 'port to listen on (default: 8081; 0 picks a free one)',
    '--out DIR': 'the folder `build` wrote to (default: dist)',
    '--help': 'show this help',
  },
  async run(values, _positionals, io, root) {
    const port = portOf(values.port)
    const { file, config } = await loadConfig({ root, outDir: values.out ? resolve(root, String(values.out)) : undefined })
    if (!config) {
      io.err(formatText(collectMessages([file])))
      return 1
    }
    const server = await serveSite({ dir: join(config.outDir, 'site'), base: basePath(config.settings), port })
    io.out(`Archive at ${server.url} (what \`build\` last wrote to ${join(config.outDir, 'site')}). Ctrl-C to stop.`)
    await new Promise<void>((done) => {
      process.once('SIGINT', done)
      process.once('SIGTERM', done)
    })
    await server.close()
    return 0
  },
}
