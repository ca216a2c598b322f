import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {ensureSupervisor} from '../ensure/ensure-supervisor.js'
import {controlRequest} from '../control/client.js'
import type {ChildSummary} from '../../ground/protocol/control.js'
import {stopSupervisor} from './stop-supervisor.js'
import {unmanagedListenerError} from '../../ground/owner/unmanaged-error.js'
import {liveSupervisorPid} from '../../ground/supervisor-state/holder.js'
import {holdLifecycleLock} from '../ensure/lifecycle-lock.js'
import {SUPERVISOR_GONE_CODES, stoppedByStopRequest} from '../ensure/overtaken.js'

export interface RestartOptions {
  readonly graceMs: number
  readonly timeoutMs: number
  /** A different app-server choice: the supervisor itself is restarted with it. */
  readonly server?: string
  readonly onProgress?: (message: string) => void
}

export interface RestartResult {
  readonly home: string
  /** child: the supervisor restarted its child; supervisor: stopped and started again; started: nothing ran. */
  readonly restarted: 'child' | 'supervisor' | 'started'
  readonly supervisorPid: number
  readonly childPid: number | null
}

/**
 * `codexd restart`: asks the running supervisor to restart its child (clearing a crash-loop) and
 * waits until the new child answered initialize; with `server`, stops the supervisor and starts
 * it with that choice; with nothing running, starts it.
 */
export async function restartSupervisor(paths: HomePaths, options: RestartOptions): Promise<RestartResult> {
  if (options.server !== undefined) {
    // The stop and the start are one turn (docs/supervisor.md, "Concurrent commands"): the lock's
    // documented wait, then the stop goes ahead (its turn was this wait, lock or not) and the start
    // has what is left of --timeout.
    const began = Date.now()
    const turn = await holdLifecycleLock(paths, options.onProgress)
    let onUpgrade: string | undefined
    try {
      onUpgrade = await runningUpgradePolicy(paths)
      await stopSupervisor(paths, options.graceMs, {lifecycleLockHeld: true})
    } catch (error) {
      turn?.release()
      throw error
    }
    const timeoutMs = Math.max(0, options.timeoutMs - (Date.now() - began))
    const started = await ensureSupervisor(paths, {server: options.server, timeoutMs, onProgress: options.onProgress, heldLock: turn, onUpgrade})
    return {home: paths.home, restarted: 'supervisor', supervisorPid: started.supervisorPid, childPid: await childPid(paths)}
  }
  const since = Date.now()
  let answer: ChildSummary
  try {
    answer = await controlRequest(paths, {type: 'restart', graceMs: options.graceMs, wait: true}, options.timeoutMs + options.graceMs)
  } catch (error) {
    if (!(error instanceof CodexdError) || !(await nothingRunsAfter(paths, error, since))) throw error
    return startInstead(paths, options)
  }
  // A concurrent stop shut the supervisor down during the restart: this restart comes after it.
  if ((answer.childState === 'stopping' || answer.childState === 'stopped') && (await stoppedByStopRequest(paths, {pid: answer.pid, since}))) return startInstead(paths, options)
  if (answer.childState === 'unmanaged') throw await unmanagedListenerError(paths, answer.detail) // codex-daemon (issue 10)
  if (answer.childState !== 'running') {
    throw new CodexdError('restart-failed', `the app-server did not come back after the restart (state ${answer.childState}${answer.detail ? `: ${answer.detail}` : ''}): see ${paths.supervisorLog} (codexd logs)`, ExitCode.ChildFailed)
  }
  return {home: paths.home, restarted: 'child', supervisorPid: answer.pid, childPid: answer.childPid ?? null}
}

/**
 * The --on-upgrade policy of the running supervisor (reported with a codex child), which the one
 * `restart --server` starts in its place keeps; undefined when none runs or it reports none.
 */
async function runningUpgradePolicy(paths: HomePaths): Promise<string | undefined> {
  const report = await controlRequest(paths, {type: 'status'}).catch(() => undefined)
  return report?.upgrade?.policy
}

/** No supervisor answered the restart: none ran, or a concurrent stop shut it down meanwhile. */
async function nothingRunsAfter(paths: HomePaths, error: CodexdError, since: number): Promise<boolean> {
  if (error.code === 'supervisor-not-running') return true
  if (!SUPERVISOR_GONE_CODES.has(error.code)) return false
  // It closed the connection without answering: a supervisor shutting down does that.
  return stoppedByStopRequest(paths, {pid: liveSupervisorPid(paths), since})
}

/** `restart` with nothing running is `start`. */
async function startInstead(paths: HomePaths, options: RestartOptions): Promise<RestartResult> {
  options.onProgress?.('no supervisor was running: starting one')
  const started = await ensureSupervisor(paths, {timeoutMs: options.timeoutMs, onProgress: options.onProgress})
  return {home: paths.home, restarted: 'started', supervisorPid: started.supervisorPid, childPid: await childPid(paths)}
}

/** The child's pid for the report; null when a concurrent stop got there first (the restart itself succeeded). */
async function childPid(paths: HomePaths): Promise<number | null> {
  const answer = await controlRequest(paths, {type: 'ping'}).catch(() => undefined)
  return answer?.childPid ?? null
}
