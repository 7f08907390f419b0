import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { mjmlOptions, type MjmlProblem, type MjmlRunner } from './compile.ts'

/** A few MJML compilers on worker threads: what a cold build of many emails spends most of its time on. */
export interface MjmlPool {
  run: MjmlRunner
  close(): Promise<void>
}

// The worker is plain CommonJS given as text, so it runs the same from src/ (tests) and from the compiled dist/cli/.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads')
const mjml2html = require(workerData.mjml)
parentPort.on('message', async ({ id, source }) => {
  try {
    parentPort.postMessage({ id, html: (await mjml2html(source, workerData.options)).html })
  } catch (error) {
    parentPort.postMessage({ id, message: String(error), errors: error && error.errors })
  }
})
`

// Enough for MJML on the largest email the size budget allows, many times over.
const workerHeapMb = 128

interface Reply {
  id: number
  html?: string
  message?: string
  errors?: MjmlProblem[]
}

/**
 * Start `size` MJML workers (default: one per core but the one the main thread keeps busy); jobs go to the least busy
 * one. Each worker's heap is capped: MJML leaves much garbage, and an uncapped V8 lets it pile up instead of collecting.
 */
export function createMjmlPool(size = Math.max(1, availableParallelism() - 1)): MjmlPool {
  const mjml = createRequire(import.meta.url).resolve('mjml')
  const pending = new Map<number, { resolve(html: string): void; reject(error: Error): void }>()
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: { mjml, options: mjmlOptions },
      resourceLimits: { maxOldGenerationSizeMb: workerHeapMb },
    })
    worker.on('message', (reply: Reply) => {
      const job = pending.get(reply.id)
      pending.delete(reply.id)
      if (reply.html !== undefined) job?.resolve(reply.html)
      else job?.reject(Object.assign(new Error(reply.message), { errors: reply.errors }))
    })
    return { worker, busy: 0 }
  })
  let next = 0
  return {
    run(source) {
      const id = next++
      const slot = workers.reduce((best, slot) => (slot.busy < best.busy ? slot : best))
      slot.busy++
      return new Promise<string>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        slot.worker.postMessage({ id, source })
      }).finally(() => {
        slot.busy--
      })
    },
    async close() {
      await Promise.all(workers.map(({ worker }) => worker.terminate()))
    },
  }
}
