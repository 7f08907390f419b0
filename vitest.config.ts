import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // `npm run test:quick` leaves these out (--tags-filter); `npm test` runs everything.
    tags: [
      { name: 'browser', description: 'opens pages in headless Chromium (a file tagged with `// @module-tag browser`)' },
      { name: 'process', description: 'starts the real `newsletter` process: to kill it, signal it, or see what only a process shows' },
    ],
  },
})
