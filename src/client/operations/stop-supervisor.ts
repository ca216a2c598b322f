import {closeSync, existsSync, openSync} from 'node:fs'
import {CodexdError} from '../../shared/errors/codexd-error.js'
import type {HomePaths} from '../../shared/home/codex-home.js'
import {pollUntil as until} from '../../shared/util/wait.js'
import {controlRequest} from '../control/client.js'
import type {StopAnswer} from '../../shared/protocol/control.js'

/** Which step ended the supervisor: its graceful stop request, SIGTERM, or SIGKILL. */
export type StopStep = 'already-stopped' | 'graceful' | 'sigterm' | 'sigkill'

export interface StopResult {
  readonly home: string
  readonly alreadyStopped: boolean
  readonly endedBy: StopStep
  readonly supervisorPid: number | null
  /** The app-server child and how it ended: exited on SIGTERM, needed SIGKILL, or was gone. */
  readonly child: {readonly pid: number | null; readonly endedBy: string} | null
  /** Children of a supervisor that had died, ended by this stop. */
  readonly orphans: readonly string[]
}

/**
 * `codexd stop`: asks the supervisor to stop (it ends the child's process group with SIGTERM,
 * then SIGKILL after `graceMs`); if it does not answer or does not exit, SIGTERMs the supervisor
 * and the child's process group, then SIGKILLs them after `graceMs`. Afterwards no process of
 * this home remains and neither socket file does (lock files stay). Stopping a stopped home
 * succeeds (and still ends children orphaned by a supervisor that died).
 */
export async function stopSupervisor(paths: HomePaths, graceMs: number): Promise<StopResult> {
  const {groupAlive, isAlive, signalGroup} = await import('../../shared/proc/processes.js')
  let answer: StopAnswer | undefined
  try {
    // The supervisor answers after ending its child: at most the grace plus the SIGKILL wait.
    answer = await controlRequest(paths, {type: 'stop', graceMs}, graceMs + 5000)
  } catch (error) {
    if (!(error instanceof CodexdError)) throw error
    if (error.code === 'supervisor-not-running') return finishStopped(paths, graceMs)
    if (error.code !== 'supervisor-unreachable' && error.code !== 'supervisor-bad-answer') throw error
  }
  const supervisorPid: number | null = answer?.supervisorPid ?? instanceHolder(paths, await import('../../shared/lock/flock.js'))
  const childPgid = answer ? null : await openChildGroup(paths, supervisorPid)
  let endedBy: StopStep = 'graceful'
  if (supervisorPid !== null && !(await until(() => !isAlive(supervisorPid), answer ? graceMs + 5000 : 0))) {
    endedBy = 'sigterm'
    process.kill(supervisorPid, 'SIGTERM')
    if (childPgid !== null) signalGroup(childPgid, 'SIGTERM')
    if (!(await until(() => !isAlive(supervisorPid) && (childPgid === null || !groupAlive(childPgid)), graceMs))) {
      endedBy = 'sigkill'
      signalGroup(supervisorPid, 'SIGKILL')
      tryKill(supervisorPid)
      if (childPgid !== null) signalGroup(childPgid, 'SIGKILL')
      await until(() => !isAlive(supervisorPid), 5000)
    }
  }
  const rest = await finishStopped(paths, graceMs)
  return {
    home: paths.home,
    alreadyStopped: false,
    endedBy,
    supervisorPid,
    child: answer ? answer.child : childPgid === null ? null : {pid: childPgid, endedBy},
    orphans: rest.orphans,
  }
}

/** No supervisor runs: end orphaned children, remove stale socket files. */
async function finishStopped(paths: HomePaths, graceMs: number): Promise<StopResult> {
  const orphans: string[] = []
  if (existsSync(paths.supervisorDb)) {
    const {SupervisorStore} = await import('../../shared/supervisor-state/store.js')
    const {reapOrphans} = await import('../../shared/supervisor-state/orphans.js')
    const store = await SupervisorStore.openForReading(paths.supervisorDb).catch(() => undefined)
    if (store) {
      try {
        orphans.push(...(await reapOrphans(store, graceMs)))
      } finally {
        await store.close()
      }
    }
  }
  await removeStaleSockets(paths)
  return {home: paths.home, alreadyStopped: true, endedBy: 'already-stopped', supervisorPid: null, child: null, orphans}
}

async function removeStaleSockets(paths: HomePaths): Promise<void> {
  const {planSocketEndpoint} = await import('../../shared/home/socket-path.js')
  const {removeWhenReleased} = await import('../../shared/startup/when-released.js')
  // Anything but a socket at the path (a regular file, say) is left as it is.
  await removeWhenReleased(planSocketEndpoint(paths.supervisorSocket)).catch(() => {})
  if (existsSync(paths.controlDir)) {
    const {removeStaleAppServerSocket} = await import('../../shared/startup/startup-window.js')
    await removeStaleAppServerSocket(paths).catch(() => {})
  }
}

/** The pid holding the supervisor instance lock (the live supervisor), from /proc/locks. */
function instanceHolder(paths: HomePaths, flock: typeof import('../../shared/lock/flock.js')): number | null {
  if (!existsSync(paths.supervisorInstanceLock)) return null
  const fd = openSync(paths.supervisorInstanceLock, 'r')
  try {
    return flock.lockHolders(fd)[0] ?? null
  } finally {
    closeSync(fd)
  }
}

/** The process group of the child the (wedged) supervisor recorded as running. */
async function openChildGroup(paths: HomePaths, supervisorPid: number | null): Promise<number | null> {
  if (supervisorPid === null || !existsSync(paths.supervisorDb)) return null
  const {SupervisorStore} = await import('../../shared/supervisor-state/store.js')
  const store = await SupervisorStore.openForReading(paths.supervisorDb).catch(() => undefined)
  if (!store) return null
  try {
    const row = await store.db.get<{pid: number}>(
      'SELECT c.pid FROM child_spawns c JOIN supervisor_runs r ON r.id = c.run_id WHERE r.pid = ? AND c.exited_at IS NULL AND c.pid IS NOT NULL ORDER BY c.id DESC LIMIT 1',
      [supervisorPid],
    )
    return row?.pid ?? null
  } finally {
    await store.close()
  }
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}


/** The one-line human summary of a stop. */
export function describeStop(result: StopResult): string {
  if (result.alreadyStopped) return `codexd is not running for ${result.home}${result.orphans.length > 0 ? `; ended ${result.orphans.length} orphaned app-server group(s)` : ''}`
  const child = result.child?.pid ? `; app-server pid ${result.child.pid} ${childStep(result.child.endedBy)}` : ''
  const how = {graceful: 'by its graceful stop request', sigterm: 'by SIGTERM (it did not answer the stop request)', sigkill: 'by SIGKILL (it ignored SIGTERM)', 'already-stopped': ''}[result.endedBy]
  return `stopped codexd supervisor pid ${result.supervisorPid ?? '?'} for ${result.home} ${how}${child}`
}

function childStep(step: string): string {
  if (step === 'sigterm') return 'exited on SIGTERM'
  if (step === 'sigkill') return 'ignored SIGTERM and was killed with SIGKILL'
  if (step === 'graceful') return 'exited'
  return 'was already gone'
}
