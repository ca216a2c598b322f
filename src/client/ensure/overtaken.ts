import {existsSync} from 'node:fs'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {STOP_REQUEST, stoppedBy} from '../../ground/supervisor-state/stop-reason.js'

/** How long a supervisor that went away may take to exit (it answers a stop after its child ended). */
export const STOPPED_SUPERVISOR_EXIT_MS = 10_000

/**
 * How long a supervisor that hung up on a request may take to exit: one shutting down closes its
 * control socket as its last step (a wedged one never exits: no long wait for it).
 */
export const HUNG_UP_EXIT_MS = 2000

/**
 * Error codes of a control request that mean the supervisor is gone (or going), not that it
 * refused: nothing listens, it hung up, or it answered with something that is no answer.
 */
export const SUPERVISOR_GONE_CODES: ReadonlySet<string> = new Set(['supervisor-not-running', 'supervisor-unreachable', 'supervisor-bad-answer'])

/** Which supervisor vanished: its pid when known, else the time the caller began relying on it. */
export interface Vanished {
  readonly pid: number | null
  readonly since: number
}

/**
 * True when the supervisor a `start` or `restart` was waiting on was shut down by a stop request
 * (a concurrent `codexd stop` or `restart --server`), as that supervisor recorded it in its state
 * database: the caller's command then comes after that stop, and starts again. Waits up to
 * `waitMs` for the supervisor to exit (it records why just before). A supervisor that crashed,
 * was killed, or still runs: false. Loads sqlite3 (only on this rare path).
 */
export async function stoppedByStopRequest(paths: HomePaths, vanished: Vanished, waitMs = STOPPED_SUPERVISOR_EXIT_MS): Promise<boolean> {
  const {isAlive} = await import('../../ground/proc/processes.js')
  const {pollUntil} = await import('../../ground/util/wait.js')
  const {pid, since} = vanished
  if (pid !== null && !(await pollUntil(() => !isAlive(pid), waitMs))) return false
  if (!existsSync(paths.supervisorDb)) return false
  const {SupervisorStore} = await import('../../ground/supervisor-state/store.js')
  const store = await SupervisorStore.openForReading(paths.supervisorDb).catch(() => undefined)
  if (!store) return false
  try {
    const run = pid === null ? await store.lastRun() : await store.runOf(pid)
    const endedSince = run?.stoppedAt != null && Date.parse(run.stoppedAt) >= since - 1000
    return endedSince && run.stopReason === stoppedBy(STOP_REQUEST)
  } catch {
    return false
  } finally {
    await store.close().catch(() => {})
  }
}
