/**
 * Processes for the benchmarks: the harness of the tests and `codexd smoke`
 * (src/ground/harness/processes.ts, built into dist/), so every process runs in its own process
 * group and every group (and every daemon pid learned later) is SIGKILLed when the bench exits,
 * also on failure or Ctrl-C. Never by name. Benchmarked processes get no pipes unless asked.
 */
import {killAllStarted, spawnTracked as spawnGroup} from '../../dist/ground/harness/processes.js'

export {CODEXD_BIN, isAlive, killAllStarted as killEverything, runCodexd, runCommand as run, trackPid as trackDaemon, waitFor} from '../../dist/ground/harness/processes.js'

for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(name, () => {
    killAllStarted()
    process.exit(130)
  })
}

/** Sends `sig` to `pid` (negative: a group); false when it does not exist. */
export function signal(pid, sig) {
  try {
    process.kill(pid, sig)
    return true
  } catch {
    return false
  }
}

/** Spawns in a new process group, tracked; stdio defaults to ignore. */
export function spawnTracked(command, args, options = {}) {
  return spawnGroup(command, args, {stdio: 'ignore', ...options})
}
