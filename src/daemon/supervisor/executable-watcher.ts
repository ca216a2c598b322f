import {watch, type FSWatcher} from 'node:fs'
import {join} from 'node:path'
import {executableFingerprint, executableWatchTargets} from '../../ground/children/codex-executable.js'

/** A running watch on the codex executable. */
export interface ExecutableWatcher {
  /** Compares the fingerprint now (the probe's tick): a change is examined after the quiet time. */
  tick(): void
  close(): Promise<void>
}

/**
 * Watches the executable at `file` (the path the child is spawned by: a link on PATH, or the
 * file): an inotify watch (fs.watch) on the directory of each link of its chain and on the parent
 * of each package root, where only events naming those links and roots count (see
 * executableWatchTargets). Plain fs.watch, not chokidar: a burst of unrelated files in a watched
 * directory (10k files in /usr/bin or lib/) costs one name lookup each, where chokidar re-reads
 * the directory and stats entries (15x the CPU, 40 MB more memory, measured). Any event that
 * counts, and any fingerprint change seen by `tick`, waits until nothing changed for `settleMs`
 * (npm writes many files), then compares the fingerprint; when it differs, `onChange` runs.
 * `onChange` resolves false when the new install could not be read yet: the change is examined
 * again at the next tick. The watched directories follow the chain as it changes; a directory
 * that goes away ends its watch (the tick still sees the change).
 */
export async function watchExecutable(file: string, settleMs: number, onChange: () => Promise<boolean>, onError: (message: string) => void): Promise<ExecutableWatcher> {
  let targets = executableWatchTargets(file)
  let watchers: FSWatcher[] = []
  let last = executableFingerprint(file)
  let timer: NodeJS.Timeout | undefined
  let examining = false
  let closed = false
  const settle = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      void examine()
    }, settleMs)
  }
  const watchTargets = () => {
    for (const watcher of watchers) watcher.close()
    targets = executableWatchTargets(file)
    watchers = targets.dirs.flatMap((dir) => {
      try {
        // Only the links and package roots: a watch on /usr/bin must not track its thousand other files.
        const watcher = watch(dir, (_event, name) => {
          if (name === null || targets.entries.has(join(dir, name.toString()))) settle()
        })
        // Gone (the directory removed): this watch ends, the tick notices what changed.
        watcher.on('error', () => watcher.close())
        return [watcher]
      } catch (error) {
        onError(`watching ${dir} for changes of ${file}: ${(error as Error).message}`)
        return []
      }
    })
  }
  const examine = async () => {
    if (closed) return
    if (examining) return settle()
    const now = executableFingerprint(file)
    if (now === last) return
    examining = true
    try {
      if (await onChange()) last = now
    } catch (error) {
      onError(`examining ${file} after a change: ${(error as Error).message}`)
    } finally {
      examining = false
      // All anew, read or not: a directory at the same path may be a new one (a package dir
      // swapped, a PATH directory re-created), and the chain may lead elsewhere now.
      if (!closed) watchTargets()
    }
  }
  watchTargets()
  return {
    tick: () => {
      // Only when no quiet time runs already: a tick must not keep postponing it.
      if (!examining && timer === undefined && executableFingerprint(file) !== last) settle()
    },
    close: async () => {
      closed = true
      clearTimeout(timer)
      for (const watcher of watchers) watcher.close()
    },
  }
}
