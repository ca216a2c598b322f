import {readFileSync} from 'node:fs'
import type {HomePaths} from '../home/codex-home.js'
import {lockHolderAt} from '../lock/holders.js'

/**
 * The pid of the live supervisor of `paths.home`, found through the holder of its instance lock
 * (/proc/locks), whatever became of its control socket; null when none runs. A `codexd stop` (or
 * `restart`, which stops) holding the lock for a moment while it cleans up is not a supervisor.
 */
export function liveSupervisorPid(paths: HomePaths): number | null {
  const pid = lockHolderAt(paths.supervisorInstanceLock)
  return pid !== null && !cleansUp(pid) ? pid : null
}

/** True when `pid` runs `codexd stop` or `codexd restart` (false when /proc cannot tell). */
function cleansUp(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return argv.includes('stop') || argv.includes('restart')
  } catch {
    return false
  }
}
