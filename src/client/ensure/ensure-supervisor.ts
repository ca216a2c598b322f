import type {ChildProcess} from 'node:child_process'
import {closeSync, openSync, statfsSync, statSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {serverChoice} from '../../ground/children/child-spec.js'
import {ON_UPGRADE} from '../../ground/children/upgrade-policy.js'
import {CODEXD_ENTRY} from '../../ground/product.js'
import {controlRequest} from '../control/client.js'
import type {ChildSummary as PingAnswer} from '../../ground/protocol/control.js'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {ensurePrivateDir} from '../../ground/home/private-dir.js'
import {preflightHomePaths} from '../../ground/startup/preflight.js'
import {faultPoint} from '../../ground/testing/fault-points.js'
import type {HeldLock} from '../../ground/lock/flock.js'
import {logTail} from '../../ground/util/log-tail.js'
import {DEFAULT_ENSURE_TIMEOUT_MS} from './default-timeout.js'
import type {StatusReport} from '../../ground/protocol/status-report.js'
import {checkServerCommand, commandCannotRun} from './server-command.js'
import {HUNG_UP_EXIT_MS, STOPPED_SUPERVISOR_EXIT_MS, SUPERVISOR_GONE_CODES, stoppedByStopRequest, type Vanished} from './overtaken.js'
import {descendsFromSupervisedChild} from '../../ground/proc/supervised-descendant.js'
import {quoteWord} from '../shell-init/quote.js'
import {liveSupervisorPid} from '../../ground/supervisor-state/holder.js'

export interface EnsureOptions {
  /** Which app-server a newly started supervisor runs (auto|builtin|codex|<command>); default: $CODEXD_SERVER, else auto. */
  server?: string
  /** Overall deadline: lock wait, supervisor start and the child's first initialize. Default 60 s. */
  timeoutMs?: number
  /** Progress lines for a human (callers print them on a TTY only). */
  onProgress?: (message: string) => void
  /** A line a human must see whatever the terminal (default: `codexd: warning: ...` on stderr). */
  onWarning?: (message: string) => void
  /** codexd's supervisor lock, already taken by the caller (`restart --server`): used, then released. */
  heldLock?: HeldLock
  /** The --on-upgrade policy of a supervisor this call spawns (`restart --server` keeps the one it stopped); default: $CODEXD_ON_UPGRADE. */
  onUpgrade?: string
}

export interface EnsureResult {
  /** True when a supervisor was already running (this call, or a concurrent one, did not start it). */
  alreadyRunning: boolean
  supervisorPid: number
  /** The canonical app-server socket, which answered an initialize round trip. */
  appServerSocket: string
}

/**
 * Probe the supervisor; if not alive: take codexd's lock ($CODEX_HOME/codexd/supervisor.lock,
 * never codex's), probe again, spawn `codexd run` detached (stdio to the log), poll until it
 * answers (release) AND the app-server answered an initialize round trip (or it exits: error with
 * its log tail). A supervisor in crash-loop or with the child stopped is asked to `start`, which
 * clears the crash-loop state. One that a concurrent stop shuts down meanwhile is started again
 * (this start comes after that stop), until the deadline. Never loads oclif, chokidar or execa;
 * sqlite3 only to read why a supervisor it waited on went away.
 */
export async function ensureSupervisor(paths: HomePaths, options: EnsureOptions = {}): Promise<EnsureResult> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_ENSURE_TIMEOUT_MS)
  let heldLock = options.heldLock
  for (;;) {
    const since = Date.now()
    try {
      const result = await ensure(paths, {...options, heldLock, timeoutMs: Math.max(0, deadline - Date.now())})
      if (result.alreadyRunning && options.server !== undefined) await warnIfOtherServer(paths, serverChoice(options.server), options.onWarning ?? warnOnStderr)
      return result
    } catch (error) {
      heldLock?.release() // a no-op when ensure released it
      heldLock = undefined
      // The supervisor vanished while this start waited on it (serving), or hung up on a ping
      // without answering: it was shutting down, or died. One that hung up closed its socket as
      // its last step and exits at once (a wedged one never does: no long wait for it).
      const hungUp = !(error instanceof SupervisorVanished) && error instanceof CodexdError && GONE_CODES.has(error.code)
      const gone = hungUp ? new SupervisorVanished({pid: liveSupervisorPid(paths), since}, error) : error
      if (!(gone instanceof SupervisorVanished)) throw error
      // A concurrent stop came after this start's supervisor appeared: this start comes after it
      // (as often as stops come, each one a different supervisor, until the deadline).
      const waitMs = Math.min(hungUp ? HUNG_UP_EXIT_MS : STOPPED_SUPERVISOR_EXIT_MS, Math.max(0, deadline - Date.now()))
      if (Date.now() >= deadline || !(await stoppedByStopRequest(paths, gone.vanished, waitMs))) throw gone.failure
      options.onProgress?.(`the supervisor${gone.vanished.pid === null ? '' : ` (pid ${gone.vanished.pid})`} was stopped by a concurrent codexd stop: starting it again`)
    }
  }
}

/** The supervisor a start was waiting on went away: `failure` is the error to report unless a stop did it. */
class SupervisorVanished extends Error {
  constructor(
    readonly vanished: Vanished,
    readonly failure: CodexdError,
  ) {
    super(failure.message)
  }
}

/** Errors that mean the supervisor being waited on is gone (or going), not that its child failed. */
const GONE_CODES: ReadonlySet<string> = new Set(['supervisor-vanished', ...SUPERVISOR_GONE_CODES])

/** untilServing, with a vanished supervisor told apart from a failed child. */
async function serving(paths: HomePaths, answer: PingAnswer, deadline: number, progress: (message: string) => void, spawned?: {process: ChildProcess; logFrom: number}): Promise<number> {
  const since = Date.now()
  try {
    return await untilServing(paths, answer, deadline, progress, spawned)
  } catch (error) {
    if (error instanceof CodexdError && GONE_CODES.has(error.code)) throw new SupervisorVanished({pid: answer.pid, since}, error)
    throw error
  }
}

async function ensure(paths: HomePaths, options: EnsureOptions & {timeoutMs: number}): Promise<EnsureResult> {
  const choice = serverChoice(options.server) // a usage error (an empty --server) before anything is spawned
  const deadline = Date.now() + options.timeoutMs
  const progress = options.onProgress ?? (() => {})
  // Holding the lock (restart --server, after its stop), the ping under the lock below suffices.
  const first = options.heldLock ? undefined : await ping(paths)
  if (first) return {alreadyRunning: true, supervisorPid: await serving(paths, first, deadline, progress), appServerSocket: paths.appServerSocket}

  ensurePrivateDir(paths.codexdDir)
  const taken = options.heldLock ? {lock: options.heldLock} : await lockOrSupervisor(paths, deadline, progress)
  if ('answer' in taken) return {alreadyRunning: true, supervisorPid: await serving(paths, taken.answer, deadline, progress), appServerSocket: paths.appServerSocket}
  let answer: PingAnswer
  let supervisor: ChildProcess
  let spawned: {logFrom: number; process?: ChildProcess} | undefined
  try {
    await faultPoint('ensure-after-lock')
    const second = await ping(paths)
    if (second) {
      taken.lock.release()
      return {alreadyRunning: true, supervisorPid: await serving(paths, second, deadline, progress), appServerSocket: paths.appServerSocket}
    }
    preflightHomePaths(paths)
    checkServerCommand(choice)
    progress(`starting the codexd supervisor for ${paths.home}`)
    spawned = {logFrom: logSize(paths.supervisorLog)}
    supervisor = await spawnSupervisor(paths, options.server, options.onUpgrade)
    spawned.process = supervisor
    answer = await untilAnswers(paths, supervisor, deadline, spawned.logFrom)
  } finally {
    // Once the supervisor answers, every later caller finds it by ping: the lock has done its job,
    // and holding it while the app-server starts would only queue the other callers behind it.
    taken.lock.release()
  }
  progress('waiting for the app-server to answer initialize')
  return {alreadyRunning: false, supervisorPid: await serving(paths, answer, deadline, progress, {process: supervisor, logFrom: spawned.logFrom}), appServerSocket: paths.appServerSocket}
}

/**
 * `start --server X` (or `proxy --autostart --server X`) found a supervisor running another
 * server: the flag applies only when a supervisor starts, so say so (the home runs, as asked;
 * like systemctl, a start of a running unit changes nothing) and name the command that switches.
 */
async function warnIfOtherServer(paths: HomePaths, asked: string, warn: (message: string) => void): Promise<void> {
  const report = (await controlRequest(paths, {type: 'status'}).catch(() => undefined)) as Pick<StatusReport, 'supervisor'> | undefined
  const running = report?.supervisor?.server
  if (running === undefined || running === asked) return
  warn(`the supervisor for ${paths.home} already runs --server ${quoteServer(running)}, not ${quoteServer(asked)}: --server applies when the supervisor starts; to switch, run codexd restart --server ${quoteServer(asked)}`)
}

function quoteServer(server: string): string {
  return /^[\w./:-]+$/.test(server) ? server : quoteWord('bash', server)
}

function warnOnStderr(message: string): void {
  process.stderr.write(`codexd: warning: ${message}\n`)
}

/** The log's size now: a failure message shows only what the supervisor started now wrote past it. */
function logSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

/**
 * Waits for codexd's supervisor lock while pinging the supervisor: whichever comes first wins.
 * Concurrent callers thus leave as soon as the first one's supervisor answers, instead of taking
 * the lock one after another only to find it running.
 */
async function lockOrSupervisor(paths: HomePaths, deadline: number, progress: (message: string) => void): Promise<{lock: HeldLock} | {answer: PingAnswer}> {
  const {acquireLock} = await import('../../ground/lock/flock.js')
  const stop = new AbortController()
  const locking = acquireLock(paths.supervisorLock, {
    timeoutMs: Math.max(0, deadline - Date.now()),
    purpose: "codexd's supervisor lock",
    signal: stop.signal,
    onWait: () => progress(`waiting for another codexd start (lock ${paths.supervisorLock})`),
  })
  const pinging = (async () => {
    for (let pause = 25; !stop.signal.aborted; pause = Math.min(pause * 2, 100)) {
      await sleep(pause)
      const answer = stop.signal.aborted ? undefined : await ping(paths).catch(() => undefined)
      if (answer) return answer
    }
    return undefined
  })()
  let winner: {lock: HeldLock} | {answer: PingAnswer} | undefined
  try {
    // Neither side settles with undefined before `stop` aborts; a lock timeout rejects.
    winner = await Promise.race([locking.then((lock) => ({lock: lock!})), pinging.then((answer) => ({answer: answer!}))])
    return winner
  } finally {
    stop.abort()
    // A lock granted in the same moment the ping answered is not needed: give it back.
    void locking.then((lock) => {
      if (lock && !(winner && 'lock' in winner && winner.lock === lock)) lock.release()
    }, () => {})
  }
}

/**
 * The supervisor's ping answer, or undefined when none runs. Unreachable (wedged) is an error,
 * except when `spawned`, the supervisor this call started, died with the ping unanswered: then
 * undefined too, so the caller reports that death instead of a wedged supervisor.
 */
async function ping(paths: HomePaths, spawned?: ChildProcess): Promise<PingAnswer | undefined> {
  try {
    return await controlRequest(paths, {type: 'ping'})
  } catch (error) {
    if (error instanceof CodexdError && error.code === 'supervisor-not-running') return undefined
    if (spawned && error instanceof CodexdError && error.code === 'supervisor-unreachable' && (await exitsWithin(spawned, 1000))) return undefined
    throw error
  }
}

/** True once `child` has exited, waiting up to `ms` for it (its exit event may trail the closed socket). */
async function exitsWithin(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

/**
 * V8 flags for the long-lived supervisor, which mostly waits: no optimizing JIT and a small young
 * generation. Measured idle VmRSS 59.8 MB -> 53.7 MB on Node 20 (--lite-mode alone: 6 MB), flat
 * over 100 status requests (docs/benchmarks.md, docs/reliability.md).
 *
 * Node 20 and 22 enable WebAssembly, which --lite-mode (jitless) cannot run, so V8 printed
 * "Warning: disabling flag --expose_wasm due to conflicting flags" at the top of every supervisor
 * log. Turning WebAssembly off first silences exactly that warning (lite mode disables it anyway);
 * Node 24 neither warns nor accepts the flag.
 */
export function supervisorNodeFlags(nodeMajor = Number(process.versions.node.split('.')[0])): string[] {
  return [...(nodeMajor < 24 ? ['--no-expose-wasm'] : []), '--lite-mode', '--max-semi-space-size=1']
}

/** Spawns `codexd run` in its own session with stdout/stderr appended to the supervisor log. */
async function spawnSupervisor(paths: HomePaths, server: string | undefined, onUpgrade: string | undefined): Promise<ChildProcess> {
  // Loaded here, not up front: a `start` that finds the supervisor running never spawns.
  const {spawn} = await import('node:child_process')
  const log = openSync(paths.supervisorLog, 'a', 0o600)
  try {
    const args = [...supervisorNodeFlags(), CODEXD_ENTRY, 'run', '--daemon', ...(server === undefined ? [] : ['--server', server])]
    const child = spawn(process.execPath, args, {
      detached: true,
      stdio: ['ignore', log, log],
      env: {...process.env, CODEX_HOME: paths.home, ...(onUpgrade === undefined ? {} : {[ON_UPGRADE.env]: onUpgrade})},
    })
    child.on('error', () => {}) // an exec failure shows up as an exit below
    child.unref()
    return child
  } finally {
    closeSync(log)
  }
}

/** Polls `ping` until the supervisor answers, failing with its log tail if it exits first. */
async function untilAnswers(paths: HomePaths, supervisor: ChildProcess, deadline: number, logFrom: number): Promise<PingAnswer> {
  let exited: string | undefined
  supervisor.once('exit', (code, signal) => {
    // Exit 6: a supervisor started another way (`codexd run` by hand) holds the instance lock; it will answer.
    if (code !== ExitCode.AlreadyInUse) exited = signal ? `was killed by ${signal}` : `exited with code ${code}`
  })
  for (let pause = 10; ; pause = Math.min(pause * 2, 100)) {
    const answer = await ping(paths, supervisor)
    if (answer) return answer
    if (exited) throw supervisorFailed(paths, `the codexd supervisor ${exited} before it answered`, logFrom)
    if (Date.now() > deadline) throw supervisorFailed(paths, `the codexd supervisor (pid ${supervisor.pid}) did not answer on ${paths.supervisorSocket} in time`, logFrom)
    await sleep(pause)
  }
}

/**
 * Waits until the supervisor reports the child `running` (an initialize round trip succeeded),
 * asking an already running supervisor to `start` once when its child is stopped, crash-looping or
 * unmanaged. Resolves with the supervisor pid.
 */
async function untilServing(paths: HomePaths, answer: PingAnswer, deadline: number, progress: (message: string) => void, spawned?: {process: ChildProcess; logFrom: number}): Promise<number> {
  const supervisor = spawned?.process
  let current = answer
  // A supervisor we just spawned already tried: its crash-loop is the answer, not a reason to retry.
  let askedToStart = supervisor !== undefined
  for (let pause = 10; ; pause = Math.min(pause * 2, 100)) {
    if (current.childState === 'running') return current.pid
    if (!askedToStart && (current.childState === 'crash-loop' || current.childState === 'stopped' || current.childState === 'unmanaged')) {
      askedToStart = true
      progress(`asking the supervisor to start the app-server (it was ${current.childState})`)
      const remaining = Math.max(1000, deadline - Date.now())
      current = await controlRequest(paths, {type: 'start', wait: true}, remaining)
      continue
    }
    if (spawned && (current.childState === 'backoff' || current.childState === 'crash-loop')) await stopIfCommandCannotRun(paths)
    if (current.childState === 'crash-loop' || current.childState === 'unmanaged') {
      throw await childFailed(paths, current, spawned?.logFrom)
    }
    if (Date.now() > deadline) throw supervisorFailed(paths, `the app-server did not answer initialize in time (child state ${current.childState}${current.detail ? `: ${current.detail}` : ''})`, spawned?.logFrom)
    await sleep(pause)
    const next = await ping(paths, supervisor)
    if (!next) throw supervisorFailed(paths, `the codexd supervisor${supervisor ? ` (pid ${supervisor.pid})` : ''} stopped while the app-server was starting`, spawned?.logFrom, 'supervisor-vanished')
    current = next
  }
}

/**
 * The supervisor this call started saw its child exit with the shell's "cannot run" code (127 not
 * found, 126 not executable): retrying cannot help, so stop that supervisor and fail in one line
 * naming the command; nothing is left running.
 */
async function stopIfCommandCannotRun(paths: HomePaths): Promise<void> {
  const report = (await controlRequest(paths, {type: 'status'}).catch(() => undefined)) as Pick<StatusReport, 'lastExit' | 'child' | 'supervisor'> | undefined
  const exit = report?.lastExit
  if (!exit || report.child?.kind !== 'command' || !commandCannotRun(exit.code)) return
  await controlRequest(paths, {type: 'stop'}).catch(() => undefined)
  const server = report.supervisor?.server
  throw new CodexdError('server-command-unusable', `--server ${server === undefined ? 'command' : quoteServer(server)} cannot run (exit ${exit.code}, ${exit.reason}): fix the command (or PATH); the supervisor was stopped, nothing is left running`, ExitCode.ChildFailed)
}

async function childFailed(paths: HomePaths, answer: PingAnswer, logFrom?: number): Promise<CodexdError> {
  if (answer.childState === 'unmanaged') {
    const daemonized = await daemonizedListener(paths)
    if (daemonized !== undefined) {
      return new CodexdError('server-daemonized', `the server command daemonized itself (forked and exited): pid ${daemonized}, which it started, serves ${paths.appServerSocket} outside codexd's supervision; run it in the foreground (drop its daemon or fork option), then stop pid ${daemonized} and run codexd start`, ExitCode.ChildFailed)
    }
    // Name the owner (codex's managed daemon, a server started by hand, ...) and what to run, in one line.
    const {unmanagedListenerError} = await import('../../ground/owner/unmanaged-error.js')
    return unmanagedListenerError(paths, answer.detail)
  }
  return supervisorFailed(paths, `the app-server is crash-looping${answer.detail ? ` (${answer.detail})` : ''}`, logFrom)
}

/**
 * The pid of the listener that keeps the supervisor `unmanaged` when it is a descendant of a
 * child the supervisor spawned (its environment says so) rather than another process: the
 * child forked the server and exited, which a supervisor cannot supervise.
 */
async function daemonizedListener(paths: HomePaths): Promise<number | undefined> {
  const report = (await controlRequest(paths, {type: 'status'}).catch(() => undefined)) as Pick<StatusReport, 'unmanagedListener'> | undefined
  const pid = report?.unmanagedListener?.pid
  return pid !== null && pid !== undefined && descendsFromSupervisedChild(pid, paths.appServerSocket) ? pid : undefined
}

/** How many log lines a failed start quotes after its cause. */
const QUOTED_LOG_LINES = 3

/**
 * A failed start: the cause first, then the log to read, then at most a few of its last lines,
 * only from the supervisor this call started (past `logFrom`) when it started one, so a previous
 * run's lines are never quoted as this one's.
 */
function supervisorFailed(paths: HomePaths, what: string, logFrom?: number, code = 'start-failed'): CodexdError {
  return new CodexdError(code, `${what}: see ${paths.supervisorLog} (codexd logs)${logLines(paths, logFrom)}${lowSpaceHint(paths.home)}`, ExitCode.ChildFailed)
}

/** `; its last log lines: a | b | c` (of this run when `logFrom` is known), or ''. */
function logLines(paths: HomePaths, logFrom: number | undefined): string {
  const tail = logTail(paths.supervisorLog, QUOTED_LOG_LINES, 16 * 1024, logFrom)
  return tail === '' ? '' : `; last log lines${logFrom === undefined ? '' : ' of this run'}: ${tail.split('\n').join(' | ')}`
}

/** Below this many free bytes, a failed start names the full disk (its log may have no room to say so). */
const LOW_SPACE_BYTES = 1024 * 1024

/** `; the filesystem that holds <home> has N bytes free: ...` when space is that low, else ''. */
function lowSpaceHint(home: string): string {
  try {
    const stats = statfsSync(home)
    const free = stats.bavail * stats.bsize
    return free < LOW_SPACE_BYTES ? `; the filesystem that holds ${home} has ${free} bytes free: free some space and run codexd start again` : ''
  } catch {
    return ''
  }
}
