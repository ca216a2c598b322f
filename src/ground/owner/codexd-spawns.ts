import {existsSync} from 'node:fs'
import type {HomePaths} from '../home/codex-home.js'
import {isAlive} from '../proc/processes.js'

/** A child the home's codexd supervisor recorded as spawned and never saw exit. */
export interface RecordedSpawn {
  readonly pid: number
  readonly startTicks: string | null
  readonly describe: string
  readonly version: string | null
  /** The supervisor that spawned it, and whether that supervisor still runs. */
  readonly supervisorPid: number
  readonly supervisorAlive: boolean
  readonly supervisorStartedAt: string
}

/**
 * The spawn record of the process group led by `groupLeader` (pid and start ticks must both
 * match: a reused pid is not ours), read from the supervisor's store; undefined when the home has
 * no store or no such open record. Loads sqlite3 only when the store exists.
 */
export async function recordedSpawn(paths: HomePaths, groupLeader: number, leaderStartTicks: string | null): Promise<RecordedSpawn | undefined> {
  if (!existsSync(paths.supervisorDb)) return undefined
  try {
    const {SupervisorStore} = await import('../supervisor-state/store.js')
    const store = await SupervisorStore.openForReading(paths.supervisorDb)
    if (!store) return undefined
    try {
      const row = await store.db.get<{pid: number; startTicks: string | null; describe: string; version: string | null; supervisorPid: number; stoppedAt: string | null; startedAt: string}>(
        `SELECT s.pid, s.start_ticks AS startTicks, s.describe, s.version, r.pid AS supervisorPid, r.stopped_at AS stoppedAt, r.started_at AS startedAt
           FROM child_spawns s JOIN supervisor_runs r ON r.id = s.run_id
          WHERE s.exited_at IS NULL AND s.pid = ? ORDER BY s.id DESC LIMIT 1`,
        [groupLeader],
      )
      if (!row || (row.startTicks !== null && row.startTicks !== leaderStartTicks)) return undefined
      return {pid: row.pid, startTicks: row.startTicks, describe: row.describe, version: row.version, supervisorPid: row.supervisorPid, supervisorAlive: row.stoppedAt === null && isAlive(row.supervisorPid), supervisorStartedAt: row.startedAt}
    } finally {
      await store.close()
    }
  } catch {
    return undefined // a busy or damaged store: the owner stays unidentified rather than guessed
  }
}
