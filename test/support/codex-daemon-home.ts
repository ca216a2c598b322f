import {createHash} from 'node:crypto'
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {removeCodexDaemonFiles} from '../../src/shared/children/codex-daemon-files.js'
import {processesForHome} from '../../src/shared/proc/home-processes.js'
import {isAlive} from '../../src/shared/proc/processes.js'
import {waitFor} from '../../src/shared/harness/processes.js'

/**
 * Kills (SIGKILL, by pid) every process whose environment has CODEX_HOME=`home`: codexd's
 * supervisor and child, codex's managed daemon and its updater, a TUI. Then removes what codex
 * keeps for the home under /tmp/codex-daemon-<uid>/ (its sockets are named by the sha256 of the
 * home's socket paths).
 */
export async function killEverythingOfHome(home: string): Promise<void> {
  const pids = processesForHome(home).map((process) => process.pid)
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone meanwhile
    }
  }
  await waitFor(() => pids.every((pid) => !isAlive(pid)), {timeoutMs: 10_000, what: `the processes of ${home} to exit`}).catch(() => {})
  const sockets = [join(home, 'app-server-control', 'app-server-control.sock'), join(home, 'app-server-daemon', 'daemon-updater.sock')]
  for (const socket of sockets) {
    removeCodexDaemonFiles(socket)
    const hashed = join('/tmp', `codex-daemon-${process.getuid?.() ?? 0}`, createHash('sha256').update(socket).digest('hex'))
    rmSync(hashed, {force: true})
    rmSync(`${hashed}.lock`, {force: true})
  }
}

/** The pids of the home's processes whose command line matches `pattern`. */
export function homePidsMatching(home: string, pattern: RegExp): number[] {
  return processesForHome(home).filter((process) => pattern.test(process.cmdline)).map((process) => process.pid)
}

/** codex's managed app-server of a home. */
export const MANAGED_DAEMON = /\bapp-server\b.*--managed-daemon/
/** codex's updater of a home. */
export const UPDATER = /app-server daemon pid-update-loop$/
