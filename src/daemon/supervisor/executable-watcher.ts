import {executableFingerprint, executableWatchTargets} from '../../ground/children/codex-executable.js'

/** A running watch on the codex executable. */
export interface ExecutableWatcher {
  /** Compares the fingerprint now (the probe's tick): a change is examined after the quiet time. */
  tick(): void
  close(): Promise<void>
}

/**
 * Watches the executable at `file` (the path the child is spawned by: a link on PATH, or the
 * file) with chokidar: the links of its chain and its package roots, in their directories, depth 0
 * (see executableWatchTargets). Any event there, and any fingerprint change seen by `tick`, waits until
 * nothing changed for `settleMs` (npm writes many files), then compares the fingerprint; when it
 * differs, `onChange` runs. `onChange` resolves false when the new install could not be read
 * yet: the change is examined again at the next tick. The watched directories follow the chain
 * as it changes.
 */
export async function watchExecutable(file: string, settleMs: number, onChange: () => Promise<boolean>, onError: (message: string) => void): Promise<ExecutableWatcher> {
  const {watch} = await import('chokidar')
  let targets = executableWatchTargets(file)
  // Only the links and package roots: a watch on /usr/bin must not track its thousand other files.
  const ignored = (path: string) => !targets.entries.has(path) && !targets.dirs.includes(path)
  const watcher = watch(targets.dirs, {ignoreInitial: true, atomic: false, followSymlinks: false, depth: 0, ignored})
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
  const examine = async () => {
    if (closed) return
    if (examining) return settle()
    const now = executableFingerprint(file)
    if (now === last) return
    examining = true
    try {
      if (!(await onChange())) return
      last = now
      // All anew: a directory at the same path may be a new one (a package dir swapped).
      watcher.unwatch(targets.dirs)
      targets = executableWatchTargets(file)
      watcher.add(targets.dirs)
    } catch (error) {
      onError(`examining ${file} after a change: ${(error as Error).message}`)
    } finally {
      examining = false
    }
  }
  watcher.on('all', settle)
  watcher.on('error', (error: unknown) => onError(`watching ${file}: ${(error as Error).message}`))
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return {
    tick: () => {
      // Only when no quiet time runs already: a tick must not keep postponing it.
      if (!examining && timer === undefined && executableFingerprint(file) !== last) settle()
    },
    close: async () => {
      closed = true
      clearTimeout(timer)
      await watcher.close()
    },
  }
}
