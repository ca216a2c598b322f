import {ensurePrivateDir} from '../home/private-dir.js'
import type {HomePaths} from '../home/codex-home.js'
import {planSocketEndpoint} from '../home/socket-path.js'
import {checkSocketPath} from './prepare-socket.js'

/**
 * Refuses, before anything is spawned, the paths the supervisor and its child would refuse
 * anyway (an unsafe control directory, a file or a planted symlink at a socket path), so `start`
 * and `run` fail at once with that one-line error (exit 7) instead of a crash-looping child.
 * Connects to nothing and deletes nothing.
 */
export function preflightHomePaths(paths: HomePaths): void {
  ensurePrivateDir(paths.controlDir)
  checkSocketPath(planSocketEndpoint(paths.supervisorSocket))
  checkSocketPath(planSocketEndpoint(paths.appServerSocket))
}
