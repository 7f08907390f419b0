import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { watchFolders, type Closable } from '../../src/preview/watch.ts'

let root: string
let watcher: Closable | undefined
let calls = 0
let waiters: (() => void)[] = []

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsletter-watch-folders-'))
  await mkdir(join(root, 'content/issues'), { recursive: true })
  calls = 0
  waiters = []
})

afterEach(async () => {
  watcher?.close()
  await rm(root, { recursive: true, force: true })
})

function start(): void {
  watcher = watchFolders(
    [join(root, 'content')],
    () => {
      calls++
      for (const wake of waiters.splice(0)) wake()
    },
    15,
  )
}

/** Resolves on the next refresh, or fails after 2 s: a change that is never seen fails the test. */
function nextRefresh(): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no refresh within 2 s')), 2000)
    waiters.push(() => {
      clearTimeout(timer)
      resolve()
    })
  })
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 60))
}

describe('watchFolders', () => {
  it('sees every save of a file, in place or renamed over it, once per burst', async () => {
    const file = join(root, 'content/issues/2026-12.md')
    await writeFile(file, 'first')
    start()
    for (let i = 0; i < 6; i++) {
      const refreshed = nextRefresh()
      if (i % 2 === 0) {
        await writeFile(`${file}.tmp`, `save ${i}`)
        await rename(`${file}.tmp`, file)
      } else await writeFile(file, `save ${i}`)
      await refreshed
    }
    await settle()
    expect(calls).toBe(6)
  })

  it('follows folders created, replaced and removed while running, and the watched folder itself coming back', async () => {
    start()
    let refreshed = nextRefresh()
    await mkdir(join(root, 'content/notices'))
    await refreshed
    refreshed = nextRefresh()
    await writeFile(join(root, 'content/notices/wifi.md'), 'new folder, new file')
    await refreshed

    await mkdir(join(root, 'content/notices-new'))
    await writeFile(join(root, 'content/notices-new/wifi.md'), 'replacement')
    await settle()
    refreshed = nextRefresh()
    await rm(join(root, 'content/notices'), { recursive: true })
    await rename(join(root, 'content/notices-new'), join(root, 'content/notices'))
    await refreshed
    refreshed = nextRefresh()
    await writeFile(join(root, 'content/notices/wifi.md'), 'saved in the replaced folder')
    await refreshed

    refreshed = nextRefresh()
    await rm(join(root, 'content'), { recursive: true })
    await refreshed
    refreshed = nextRefresh()
    await mkdir(join(root, 'content/issues'), { recursive: true })
    await refreshed
    await settle()
    refreshed = nextRefresh()
    await writeFile(join(root, 'content/issues/2026-12.md'), 'saved in the recreated folder')
    await refreshed
  })
})
