import { resolve } from 'node:path'
import { portOf, type Command } from './command.ts'

/** `newsletter preview` (`npm start`): a local, live-reloading preview of every issue and notice. */
export const previewCommand: Command = {
  name: 'preview',
  usage: 'preview [--port N] [--host HOST] [--recipients FILE]',
  options: { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' }, recipients: { type: 'string' } },
  help: {
    '--port N': 'port to listen on (default: 8080; 0 picks a free one)',
    '--host HOST': 'interface to bind (default: 127.0.0.1, this machine only)',
    '--recipients FILE': 'a recipients CSV; its first rows are the sample readers (default: Sam Sample <sam@example.com>)',
    '--help': 'show this help',
  },
  async run(values, _positionals, io, root) {
    const port = portOf(values.port)
    // Said before the preview's modules load, which is most of the wait on a slow machine.
    io.err(`Reading the issues and notices in ${root}…`)
    const { startPreview } = await import('../preview/server.ts')
    const preview = await startPreview({
      port,
      host: String(values.host),
      root,
      recipients: values.recipients ? resolve(root, String(values.recipients)) : undefined,
      progress: (line) => io.err(line),
      log: (line) => io.err(line),
      env: process.env,
    })
    io.out(`Preview at ${preview.url} (drafts included; pages reload when a file is saved). Ctrl-C to stop.`)
    if (!['127.0.0.1', 'localhost', '::1'].includes(String(values.host))) {
      io.err(`warning: --host ${String(values.host)} lets other machines open the preview, drafts included`)
    }
    await new Promise<void>((done) => {
      process.once('SIGINT', done)
      process.once('SIGTERM', done)
    })
    await preview.close()
    return 0
  },
}
