import { existsSync, watch, type FSWatcher } from 'node:fs'

/** Something that can be stopped. */
export interface Closable {
  close(): void
}

/**
 * Watch folders (recursively) and call `onChange` once a burst of events has been quiet for `debounceMs`:
 * editors save with several writes and renames, and one refresh should follow them all.
 */
export function watchFolders(folders: readonly string[], onChange: () => void, debounceMs: number): Closable {
  let timer: NodeJS.Timeout | undefined
  const fire = () => {
    clearTimeout(timer)
    timer = setTimeout(onChange, debounceMs)
  }
  const watchers: FSWatcher[] = folders
    .filter((folder) => existsSync(folder))
    .map((folder) => {
      const watcher = watch(folder, { recursive: true }, fire)
      // A watched folder that is deleted ends its watcher; the next refresh reports what is missing.
      watcher.on('error', fire)
      return watcher
    })
  return {
    close() {
      clearTimeout(timer)
      for (const watcher of watchers) watcher.close()
    },
  }
}
