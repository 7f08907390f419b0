import { readdirSync, statSync, watch, type Dirent, type FSWatcher } from 'node:fs'
import { dirname, join } from 'node:path'

/** Something that can be stopped. */
export interface Closable {
  close(): void
}

interface Watched {
  watcher: FSWatcher
  /** The directory's inode: a folder replaced by another of the same name needs a new watcher. */
  ino: number
}

/**
 * Watch folders and everything below them, and call `onChange` once a burst of events has been quiet for
 * `debounceMs`: editors save with several writes and renames, and one refresh should follow them all.
 *
 * Each directory gets its own non-recursive watcher. Node 20's recursive watcher on Linux follows the
 * files themselves, so a file saved by rename (vim, "safe write", `sed -i`, `git checkout`) is seen once and
 * then lost; a watcher on the directory sees every name in it come, go and be replaced. After each burst the
 * tree is walked again, so new, removed and replaced folders are followed too.
 */
export function watchFolders(folders: readonly string[], onChange: () => void, debounceMs: number): Closable {
  const watched = new Map<string, Watched>()
  let timer: NodeJS.Timeout | undefined
  let closed = false
  const fire = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      arm()
      onChange()
    }, debounceMs)
  }

  function arm(): void {
    if (closed) return
    const wanted = new Map<string, number>()
    for (const folder of folders) {
      const found = directories(folder)
      // A missing folder is watched for from the nearest folder above it that exists, so its return is seen.
      for (const [dir, ino] of found.size > 0 ? found : nearestExisting(folder)) wanted.set(dir, ino)
    }
    for (const [dir, entry] of watched) {
      if (wanted.get(dir) === entry.ino) continue
      entry.watcher.close()
      watched.delete(dir)
    }
    for (const [dir, ino] of wanted) {
      if (watched.has(dir)) continue
      try {
        const watcher = watch(dir, fire)
        // A watched folder that is deleted ends its watcher; the next walk replaces it.
        watcher.on('error', fire)
        watched.set(dir, { watcher, ino })
      } catch {
        // The folder went away between the walk and the watch: its parent's watcher has seen that.
      }
    }
  }

  arm()
  return {
    close() {
      closed = true
      clearTimeout(timer)
      for (const { watcher } of watched.values()) watcher.close()
      watched.clear()
    },
  }
}

/** A folder and every folder below it, each with its inode; empty when the folder does not exist. */
function directories(root: string): Map<string, number> {
  const found = new Map<string, number>()
  const visit = (dir: string) => {
    let ino: number
    let names: Dirent[]
    try {
      ino = statSync(dir).ino
      names = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    found.set(dir, ino)
    for (const name of names) if (name.isDirectory()) visit(join(dir, name.name))
  }
  visit(root)
  return found
}

function nearestExisting(folder: string): Map<string, number> {
  for (let dir = dirname(folder); ; dir = dirname(dir)) {
    try {
      return new Map([[dir, statSync(dir).ino]])
    } catch {
      if (dirname(dir) === dir) return new Map()
    }
  }
}
