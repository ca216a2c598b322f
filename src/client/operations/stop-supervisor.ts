import {existsSync} from 'node:fs'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {liveSupervisorPid} from '../../ground/supervisor-state/holder.js'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {QUICK_POLL, pollUntil as until} from '../../ground/util/wait.js'
import {controlRequest} from '../control/client.js'
import type {StopAnswer} from '../../ground/protocol/control.js'
import {holdLifecycleLock} from '../ensure/lifecycle-lock.js'
import {SUPERVISOR_GONE_CODES} from '../ensure/overtaken.js'

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

/** Rounds of "stop what holds the instance lock" before a stop gives up on a home that keeps starting. */
const STOP_ROUNDS = 5

/**
 * `codexd stop`: asks the supervisor to stop (it ends the child's process group with SIGTERM,
 * then SIGKILL after `graceMs`); if it does not answer or does not exit, SIGTERMs the supervisor
 * and the child's process group, then SIGKILLs them after `graceMs`. The supervisor is found by
 * its control socket or, when that is missing or not a socket, by the holder of its instance lock
 * (/proc/locks). Afterwards no process of this home remains and neither socket file does (lock
 * files stay); orphans are reaped and socket files removed only while holding the instance lock,
 * so a supervisor starting meanwhile is stopped too, never left without its child or socket.
 * Stopping a stopped home succeeds (and still ends children orphaned by a supervisor that died).
 */
export async function stopSupervisor(paths: HomePaths, graceMs: number, options: {readonly lifecycleLockHeld?: boolean} = {}): Promise<StopResult> {
  // One command at a time changes whether a supervisor runs (docs/supervisor.md, "Concurrent
  // commands"): no start spawns one while this stop runs; one that spawned one finishes that first.
  const turn = options.lifecycleLockHeld ? undefined : await holdLifecycleLock(paths)
  try {
    return await stopInRounds(paths, graceMs)
  } finally {
    turn?.release()
  }
}

/** Stops what runs, then cleans up under the instance lock; again if a supervisor started meanwhile. */
async function stopInRounds(paths: HomePaths, graceMs: number): Promise<StopResult> {
  let first: StopResult | undefined
  for (let round = 0; round < STOP_ROUNDS; round++) {
    const stopped = await stopRunning(paths, graceMs)
    first ??= stopped
    // A supervisor that stopped gracefully ended its child and had reaped older orphans when it
    // started: no orphan can be left, so the state database (and sqlite3's load) is skipped.
    const rest = await finishStopped(paths, graceMs, stopped.endedBy !== 'graceful')
    if (rest) return first.alreadyStopped ? rest : {...first, orphans: rest.orphans}
  }
  const holder = liveSupervisorPid(paths)
  throw new CodexdError('stop-raced', `a codexd supervisor kept starting for ${paths.home} while stopping it (pid ${holder ?? '?'} holds ${paths.supervisorInstanceLock}): stop what runs codexd start, then codexd stop again`, ExitCode.Unreachable)
}

/** Stops the supervisor the control socket or the instance lock names, if any. */
async function stopRunning(paths: HomePaths, graceMs: number): Promise<StopResult> {
  const {groupAlive, isAlive, signalGroup} = await import('../../ground/proc/processes.js')
  let answer: StopAnswer | undefined
  try {
    // The supervisor answers after ending its child: at most the grace plus the SIGKILL wait.
    answer = await controlRequest(paths, {type: 'stop', graceMs}, graceMs + 5000)
  } catch (error) {
    if (!(error instanceof CodexdError)) throw error
    if (!SUPERVISOR_GONE_CODES.has(error.code)) throw error
  }
  // No answer: the instance lock's holder is the live supervisor, whatever its socket became.
  const supervisorPid: number | null = answer?.supervisorPid ?? liveSupervisorPid(paths)
  if (supervisorPid === null) return stoppedResult(paths, [])
  const childPgid = answer ? null : await openChildGroup(paths, supervisorPid)
  let endedBy: StopStep = 'graceful'
  if (!(await until(() => !isAlive(supervisorPid), answer ? graceMs + 5000 : 0, QUICK_POLL))) {
    endedBy = 'sigterm'
    tryKill(supervisorPid, 'SIGTERM')
    if (childPgid !== null) signalGroup(childPgid, 'SIGTERM')
    if (!(await until(() => !isAlive(supervisorPid) && (childPgid === null || !groupAlive(childPgid)), graceMs + 1000, QUICK_POLL))) {
      endedBy = 'sigkill'
      signalGroup(supervisorPid, 'SIGKILL')
      tryKill(supervisorPid, 'SIGKILL')
      if (childPgid !== null) signalGroup(childPgid, 'SIGKILL')
      await until(() => !isAlive(supervisorPid), 5000)
    }
  }
  return {
    home: paths.home,
    alreadyStopped: false,
    endedBy,
    supervisorPid,
    child: answer ? answer.child : childPgid === null ? null : {pid: childPgid, endedBy},
    orphans: [],
  }
}

/**
 * No supervisor runs: under the instance lock, end orphaned children (when `reap`) and remove
 * stale socket files. Undefined when another process holds the lock (a supervisor started meanwhile).
 */
async function finishStopped(paths: HomePaths, graceMs: number, reap: boolean): Promise<StopResult | undefined> {
  if (!existsSync(paths.codexdDir)) {
    await removeStaleAppServerSocket(paths)
    return stoppedResult(paths, [])
  }
  const {acquireLock} = await import('../../ground/lock/flock.js')
  const take = (timeoutMs: number) =>
    acquireLock(paths.supervisorInstanceLock, {timeoutMs, purpose: 'the supervisor instance lock'}).catch((error: unknown) => {
      if (error instanceof CodexdError && error.code === 'lock-timeout') return undefined
      throw error
    })
  // A supervisor holds the lock for its life; a concurrent stop only while it cleans up: wait that out.
  const lock = (await take(200)) ?? (liveSupervisorPid(paths) === null ? await take(graceMs + 5000) : undefined)
  if (!lock) return undefined
  try {
    const orphans: string[] = []
    if (reap && existsSync(paths.supervisorDb)) {
      const {SupervisorStore} = await import('../../ground/supervisor-state/store.js')
      const {reapOrphans} = await import('../../ground/supervisor-state/orphans.js')
      const store = await SupervisorStore.openForReading(paths.supervisorDb).catch(() => undefined)
      if (store) {
        try {
          orphans.push(...(await reapOrphans(store, graceMs)))
        } finally {
          await store.close()
        }
      }
    }
    const {planSocketEndpoint} = await import('../../ground/home/socket-path.js')
    const {removeWhenReleased} = await import('../../ground/startup/when-released.js')
    // Anything but a socket at the path (a regular file, say) is left as it is.
    await removeWhenReleased(planSocketEndpoint(paths.supervisorSocket)).catch(() => {})
    await removeStaleAppServerSocket(paths)
    return stoppedResult(paths, orphans)
  } finally {
    lock.release()
  }
}

function stoppedResult(paths: HomePaths, orphans: string[]): StopResult {
  return {home: paths.home, alreadyStopped: true, endedBy: 'already-stopped', supervisorPid: null, child: null, orphans}
}

/** The app-server socket left by a dead child (removed under the startup lock). */
async function removeStaleAppServerSocket(paths: HomePaths): Promise<void> {
  if (!existsSync(paths.controlDir)) return
  const startup = await import('../../ground/startup/startup-window.js')
  await startup.removeStaleAppServerSocket(paths).catch(() => {})
}

/** The process group of the child the (wedged) supervisor recorded as running. */
async function openChildGroup(paths: HomePaths, supervisorPid: number | null): Promise<number | null> {
  if (supervisorPid === null || !existsSync(paths.supervisorDb)) return null
  const {SupervisorStore} = await import('../../ground/supervisor-state/store.js')
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

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
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
