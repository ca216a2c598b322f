import {terminateGroup} from '../proc/terminate-group.js'
import {groupAlive, isAlive, processGroupOf, startTicks} from '../proc/processes.js'
import type {SupervisorStore} from './store.js'

/**
 * Children of an earlier supervisor that died without stopping them (SIGKILL, OOM) keep serving
 * in their own process groups. Before starting its own child, a new supervisor ends such a group
 * when it is provably the one recorded (same pid, same start time, still its own group leader,
 * or the leader gone and the group still alive), and records it. Returns what it reaped.
 */
export async function reapOrphans(store: SupervisorStore, graceMs: number): Promise<string[]> {
  const reaped: string[] = []
  for (const spawn of await store.openSpawnsOfEarlierRuns()) {
    const leaderAlive = isAlive(spawn.pid)
    const same = leaderAlive && (spawn.startTicks === null || startTicks(spawn.pid) === spawn.startTicks) && processGroupOf(spawn.pid) === spawn.pid
    const leftovers = !leaderAlive && groupAlive(spawn.pid)
    let reason = 'its supervisor died; it was already gone at the next start'
    if (same || leftovers) {
      const step = await terminateGroup(spawn.pid, graceMs, () => !isAlive(spawn.pid))
      reason = `orphaned by a supervisor that died; process group ${spawn.pid} ended by ${step} at the next start`
      reaped.push(reason)
    }
    await store.recordExit(spawn.id, {code: null, signal: null, reason})
  }
  return reaped
}
