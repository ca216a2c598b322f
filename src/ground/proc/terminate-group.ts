import {groupAlive, signalGroup} from './processes.js'
import {QUICK_POLL, pollUntil as until} from '../util/wait.js'

/** Which step ended a process group. */
export type TerminateStep = 'already-exited' | 'sigterm' | 'sigkill'

/**
 * Ends process group `pgid`: SIGTERM, wait up to `graceMs` for the leader to have exited
 * (`leaderGone`) and the group to be empty, then SIGKILL. Grandchildren that ignore SIGTERM are
 * caught by the group SIGKILL. Says which step ended it.
 */
export async function terminateGroup(pgid: number, graceMs: number, leaderGone: () => boolean): Promise<TerminateStep> {
  const gone = () => leaderGone() && !groupAlive(pgid)
  if (gone()) return 'already-exited'
  signalGroup(pgid, 'SIGTERM')
  if (await until(gone, graceMs, QUICK_POLL)) return 'sigterm'
  signalGroup(pgid, 'SIGKILL')
  await until(gone, 10_000, QUICK_POLL)
  return 'sigkill'
}

