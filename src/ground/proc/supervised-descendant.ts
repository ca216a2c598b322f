import {readFileSync} from 'node:fs'

/**
 * The variable a codexd supervisor sets for every app-server child it spawns (to the home's
 * app-server socket; src/daemon/supervisor/child-process.ts); the child's descendants inherit it.
 */
export const CHILD_SOCKET_ENV = 'CODEXD_APP_SERVER_SOCKET'

/**
 * True when the environment of `pid` shows it was started under a codexd supervisor serving
 * `appServerSocket`: the child itself or something it forked, even after it left the child's
 * process group and was re-parented (a server that daemonized itself). Linux only (reads /proc).
 */
export function descendsFromSupervisedChild(pid: number, appServerSocket: string): boolean {
  try {
    return `\0${readFileSync(`/proc/${pid}/environ`, 'utf8')}`.includes(`\0${CHILD_SOCKET_ENV}=${appServerSocket}\0`)
  } catch {
    return false // Gone, or another user's.
  }
}
