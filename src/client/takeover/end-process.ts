import {isAlive, startTicks} from '../../ground/proc/processes.js'
import {pollUntil} from '../../ground/util/wait.js'

/** How one process ended: gone already, on SIGTERM, or on SIGKILL after the grace. */
export type EndedBy = 'already-exited' | 'sigterm' | 'sigkill'

/**
 * Ends the single process `pid` (never its group: a server started by hand may share its group
 * with the user's shell), but only while it is still the process identified by `ticks` (its start
 * ticks): a pid reused meanwhile is left alone. SIGTERM, then SIGKILL after `graceMs`.
 */
export async function endProcess(pid: number, ticks: string | null, graceMs: number): Promise<EndedBy> {
  const same = () => isAlive(pid) && (ticks === null || startTicks(pid) === ticks)
  if (!same()) return 'already-exited'
  process.kill(pid, 'SIGTERM')
  if (await pollUntil(() => !same(), graceMs)) return 'sigterm'
  if (same()) process.kill(pid, 'SIGKILL')
  await pollUntil(() => !same(), 5000)
  return 'sigkill'
}
