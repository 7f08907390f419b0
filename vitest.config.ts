import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Most files wait on sockets, Chromium or a timer as much as they compute: one worker per core, where vitest's
    // default leaves one core idle (cores − 1 = one worker on a 2-core machine).
    maxWorkers: availableParallelism(),
    // `npm run test:quick` leaves these out (--tags-filter); `npm test` runs everything.
    tags: [
      { name: 'browser', description: 'opens pages in headless Chromium (a file tagged with `// @module-tag browser`)' },
      { name: 'process', description: 'starts the real `newsletter` process: to kill it, signal it, or see what only a process shows' },
    ],
  },
})
