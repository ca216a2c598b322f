import {closeSync, existsSync, openSync} from 'node:fs'
import {basename, dirname} from 'node:path'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {ensurePrivateDir} from '../../ground/home/private-dir.js'

const LOCK_REPAIR_DELAY_MS = 200

/** What the watcher tells the supervisor. */
export interface WatchHandlers {
  /** The app-server socket path (or its directory) was removed. */
  onSocketRemoved(what: string): void
  /** The supervisor's own control socket (or `codexd/`) was removed. */
  onControlSocketRemoved(): void
  /** The home itself is gone: nothing may be re-created in it. */
  onHomeRemoved(): void
  /** Something was repaired (lock file or control directory recreated with the right modes). */
  onRepaired(kind: 'lock-recreated' | 'control-dir-recreated', message: string): void
  onError(message: string): void
}

/** A running watcher. */
export interface ControlDirWatcher {
  close(): Promise<void>
}

/**
 * Watches `$CODEX_HOME/app-server-control` with chokidar (atomic off, no symlink following: the
 * socket may be a symlink into /tmp as codex 0.169 makes it). Watching from CODEX_HOME (depth 1,
 * everything else ignored) keeps the watch alive when the directory itself is removed and
 * recreated. A removed lock file or directory is recreated (0600 / 0700); a removed socket is
 * reported so the supervisor can restart the child.
 */
export async function watchControlDir(paths: HomePaths, handlers: WatchHandlers): Promise<ControlDirWatcher> {
  const {watch} = await import('chokidar')
  const relevant = (path: string) => path === paths.home || path === paths.controlDir || dirname(path) === paths.controlDir || path === paths.codexdDir || path === paths.supervisorSocket || path === paths.supervisorInstanceLock
  const watcher = watch(paths.home, {
    ignoreInitial: true,
    atomic: false,
    followSymlinks: false,
    depth: 1,
    ignored: (path: string) => !relevant(path),
  })
  const recreateLock = () => {
    try {
      closeSync(openSync(paths.startupLock, 'a', 0o600))
      return true
    } catch (error) {
      handlers.onError(`could not recreate ${paths.startupLock}: ${(error as Error).message}`)
      return false
    }
  }
  watcher.on('unlink', (path: string) => {
    if (path === paths.supervisorSocket || path === paths.supervisorInstanceLock) handlers.onControlSocketRemoved()
    else if (path === paths.appServerSocket) handlers.onSocketRemoved(`the socket file ${path} was removed`)
    else if (path === paths.startupLock) {
      // Wait a moment: when the whole directory is being removed, recreating the lock file at
      // once would make that rm fail (ENOTEMPTY); the unlinkDir handler repairs that case.
      setTimeout(() => {
        if (existsSync(paths.home) && existsSync(paths.controlDir) && !existsSync(paths.startupLock) && recreateLock()) {
          handlers.onRepaired('lock-recreated', `${basename(path)} was removed; recreated ${path} (mode 0600)`)
        }
      }, LOCK_REPAIR_DELAY_MS)
    }
  })
  watcher.on('unlinkDir', (path: string) => {
    // A deleted home is never re-created: the supervisor shuts down instead.
    if (!existsSync(paths.home)) return handlers.onHomeRemoved()
    if (path === paths.codexdDir) return handlers.onControlSocketRemoved()
    if (path !== paths.controlDir) return
    // A moment's wait, as for the lock file: the home may be being removed as a whole.
    setTimeout(() => {
      if (!existsSync(paths.home)) return handlers.onHomeRemoved()
      try {
        ensurePrivateDir(paths.controlDir, {parentMustExist: true})
      } catch (error) {
        if (!existsSync(paths.home)) return handlers.onHomeRemoved() // gone since the check: never re-created
        handlers.onError(`could not recreate ${paths.controlDir}: ${(error as Error).message}`)
        return
      }
      recreateLock()
      handlers.onRepaired('control-dir-recreated', `${path} was removed; recreated it (mode 0700) with ${basename(paths.startupLock)}`)
      handlers.onSocketRemoved(`the control directory ${path} was removed`)
    }, LOCK_REPAIR_DELAY_MS)
  })
  watcher.on('error', (error: unknown) => handlers.onError(`watcher: ${(error as Error).message}`))
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return {close: () => watcher.close()}
}
