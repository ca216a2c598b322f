import {rmSync} from 'node:fs'
import {symlinkTarget} from '../util/symlink-target.js'

/** Where codex 0.169 binds a home's socket: the home's socket path is a symlink to it. */
const CODEX_DAEMON_SOCKET = /^\/tmp\/codex-daemon-\d+\/[0-9a-f]{64}$/

/**
 * Removes the socket and lock that codex 0.169 keeps under /tmp/codex-daemon-<uid>/ for the home
 * whose app-server socket is `appServerSocket` (a symlink to `<hash>`, with `<hash>.lock` beside
 * it). A graceful codex exit removes them itself; a kill -9 leaves them. For tests and benchmarks
 * deleting a home of their own once nothing of it runs: they belong to nobody then. Anything that
 * is not such a link is left alone.
 */
export function removeCodexDaemonFiles(appServerSocket: string): void {
  const target = symlinkTarget(appServerSocket) // none: the built-in server, or nothing
  if (target === undefined || !CODEX_DAEMON_SOCKET.test(target)) return
  rmSync(target, {force: true})
  rmSync(`${target}.lock`, {force: true})
}
