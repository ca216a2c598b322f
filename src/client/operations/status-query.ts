import {existsSync} from 'node:fs'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {controlRequest} from '../control/client.js'
import {liveSupervisorPid} from '../../ground/supervisor-state/holder.js'
import {HUNG_UP_EXIT_MS, SUPERVISOR_GONE_CODES, stoppedByStopRequest} from '../ensure/overtaken.js'
import type {StatusReport} from '../../ground/protocol/status-report.js'

/**
 * Builds the `codexd status` report. Never starts anything: asks the supervisor over its control
 * socket; when none answers, reads the last recorded exit and recent events from the state
 * database (sqlite3 loaded only then) and says whether an unmanaged listener serves the home.
 */
export async function queryStatus(paths: HomePaths, timeoutMs = 5000): Promise<StatusReport> {
  const since = Date.now()
  try {
    // One shape whether or not a supervisor answered (schemas/status.json): message is null here.
    const report = await controlRequest(paths, {type: 'status'}, timeoutMs)
    return {...report, upgrade: report.upgrade ?? null, message: null}
  } catch (error) {
    // An answer that is not a status report is a supervisor that cannot be asked: unreachable.
    if (!(error instanceof CodexdError) || !SUPERVISOR_GONE_CODES.has(error.code)) throw error
    // A supervisor shutting down (a concurrent stop) hangs up without answering, then exits.
    const hungUp = error.code === 'supervisor-unreachable' ? liveSupervisorPid(paths) : null
    const exited = error.code === 'supervisor-unreachable' && (await holderExits(paths, hungUp))
    // Why it exited is what it recorded: a stop request, or anything else (a crash, a kill).
    const asked = exited && (await stoppedByStopRequest(paths, {pid: hungUp, since}, 0))
    const history = await readHistory(paths)
    // No control socket is not "not running" while the instance lock has a live holder (whose
    // child is then no unmanaged listener).
    const holder = liveSupervisorPid(paths)
    const unmanagedListener = holder === null ? await findListener(paths) : null
    return {
      home: paths.home,
      state: (error.code === 'supervisor-not-running' || exited) && holder === null ? 'not-running' : 'unreachable',
      supervisor: null,
      child: null,
      restarts: 0,
      lastExit: history.lastExit,
      unmanagedListener,
      events: history.events,
      upgrade: null,
      message: holder === null ? (exited ? (asked ? `no codexd supervisor is running for ${paths.home} (the one that was stopped as it was asked): run codexd start` : 'the codexd supervisor exited while answering: run codexd start') : error.message) : `a codexd supervisor (pid ${holder}, holding ${paths.supervisorInstanceLock}) runs for ${paths.home} but its control socket ${paths.supervisorSocket} cannot be reached: it binds it again within one probe period unless something that is not a socket is in the way; codexd stop stops it either way`,
    }
  }
}

/** True when the supervisor that hung up (`pid`, its instance lock's holder then) is gone: it exited within HUNG_UP_EXIT_MS, or nothing answers any more. */
async function holderExits(paths: HomePaths, pid: number | null): Promise<boolean> {
  if (pid === null) {
    const {probeSocket} = await import('../../ground/startup/socket-probe.js')
    const probe = await probeSocket(paths.supervisorSocket, 500)
    return probe.kind === 'absent' || probe.kind === 'refused'
  }
  const {isAlive} = await import('../../ground/proc/processes.js')
  const {pollUntil} = await import('../../ground/util/wait.js')
  return pollUntil(() => !isAlive(pid), HUNG_UP_EXIT_MS)
}

/** As many recent events as a running supervisor reports (src/daemon/supervisor/run.ts). */
const STATUS_EVENTS = 20

async function readHistory(paths: HomePaths): Promise<Pick<StatusReport, 'lastExit' | 'events'>> {
  if (!existsSync(paths.supervisorDb)) return {lastExit: null, events: []}
  try {
    const {SupervisorStore} = await import('../../ground/supervisor-state/store.js')
    const store = await SupervisorStore.openForReading(paths.supervisorDb)
    if (!store) return {lastExit: null, events: []}
    try {
      // The same events, with the same fields (id, spawnId), as a running supervisor reports.
      return {lastExit: await store.lastExit(), events: await store.recentEvents(STATUS_EVENTS)}
    } finally {
      await store.close()
    }
  } catch (error) {
    // History is a courtesy: a busy or damaged database must not turn status into an error. A
    // corrupt one is said, though: the next start moves it aside.
    if (error instanceof CodexdError && error.code === 'state-corrupt') {
      // Not a recorded event (the database cannot be read): no id, no spawn, the fields all the same.
      const corrupt = {id: null, at: new Date().toISOString(), kind: 'state-corrupt', message: error.message, spawnId: null}
      return {lastExit: null, events: [corrupt]}
    }
    return {lastExit: null, events: []}
  }
}

/** A live listener on the app-server socket while no supervisor runs: someone else serves the home. */
async function findListener(paths: HomePaths): Promise<StatusReport['unmanagedListener']> {
  const {probeSocket} = await import('../../ground/startup/socket-probe.js')
  const probe = await probeSocket(paths.appServerSocket, 500)
  if (probe.kind !== 'live') return null
  const {listenerPids} = await import('../../ground/proc/processes.js')
  const {connectPathFor} = await import('../../ground/home/socket-path.js')
  const pid = listenerPids(connectPathFor(paths.appServerSocket))[0] ?? null
  return {pid, since: new Date().toISOString(), note: pid === null ? `a process codexd cannot identify listens on ${paths.appServerSocket}` : `pid ${pid} listens on ${paths.appServerSocket} without codexd`}
}
