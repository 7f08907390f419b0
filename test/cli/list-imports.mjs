// Loaded with `node --import`, it prints to stderr every file the program then imports, so a test can see that
// `newsletter --help` and `--version` load no command. Node runs module hooks on their own thread, where this same
// file is loaded again as the hooks module.
import { register } from 'node:module'
import { isMainThread } from 'node:worker_threads'

/** Pass every import on, writing each file's URL to stderr. */
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context)
  if (result.url.startsWith('file:')) process.stderr.write(`import ${result.url}\n`)
  return result
}

if (isMainThread) register(import.meta.url)
