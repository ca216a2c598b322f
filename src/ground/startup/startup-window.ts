import {CodexdError} from '../errors/codexd-error.js'
import type {HomePaths} from '../home/codex-home.js'
import {ensurePrivateDir} from '../home/private-dir.js'
import {planSocketEndpoint} from '../home/socket-path.js'
import {acquireLock} from '../lock/flock.js'
import {prepareSocketPath} from './prepare-socket.js'
import {listenerPids} from '../proc/processes.js'
import {removeWhenReleased} from './when-released.js'

/** A held app-server startup window for a lock-unaware child, or the listener that prevents one. */
export interface StartupWindow {
  /** Set when a live listener already owns the socket: nothing was spawned, the lock is released. */
  readonly foreign?: {pid: number | null; note: string}
  release(): void
}

/**
 * For children that do not take app-server-startup.lock themselves (codex < 0.133.0, custom
 * commands): takes that lock and prepares the socket path exactly as codex would (stale socket
 * removed, non-socket refused). The caller spawns the child and calls `release()` only after the
 * child answered initialize (or failed), so even a pre-fix codex starts serialized.
 */
export async function holdStartupWindow(paths: HomePaths, lockTimeoutMs: number): Promise<StartupWindow> {
  ensurePrivateDir(paths.controlDir)
  const endpoint = planSocketEndpoint(paths.appServerSocket)
  const lock = await acquireLock(paths.startupLock, {timeoutMs: lockTimeoutMs, purpose: 'the app-server startup lock'})
  try {
    await prepareSocketPath(endpoint)
  } catch (error) {
    lock.release()
    if (error instanceof CodexdError && error.code === 'already-in-use') {
      const pid = listenerPids(endpoint.bindPath)[0] ?? null
      return {foreign: {pid, note: pid === null ? `a live listener codexd cannot identify owns ${paths.appServerSocket}` : `pid ${pid} already listens on ${paths.appServerSocket}`}, release() {}}
    }
    throw error
  }
  return {release: () => lock.release()}
}

/**
 * After the child is gone: removes a socket file it left behind (SIGKILL leaves one), under the
 * startup lock so no launch is between its check and bind. A live listener is left alone; one
 * that only answers because the kernel has not released it yet is waited out (removeWhenReleased).
 */
export async function removeStaleAppServerSocket(paths: HomePaths, lockTimeoutMs = 2000): Promise<void> {
  ensurePrivateDir(paths.controlDir)
  const endpoint = planSocketEndpoint(paths.appServerSocket)
  await removeWhenReleased(endpoint, async () => {
    const lock = await acquireLock(paths.startupLock, {timeoutMs: lockTimeoutMs, purpose: 'the app-server startup lock'})
    try {
      await prepareSocketPath(endpoint)
    } finally {
      lock.release()
    }
  })
}
