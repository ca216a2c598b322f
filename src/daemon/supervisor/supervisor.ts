import {existsSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {codexSpec, type ChildSpec} from '../../ground/children/child-spec.js'
import {executableFingerprint} from '../../ground/children/codex-executable.js'
import type {ChildState, ChildSummary} from '../../ground/protocol/control.js'
import type {StatusReport} from '../../ground/protocol/status-report.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {connectPathFor} from '../../ground/home/socket-path.js'
import {probeSocket} from '../../ground/startup/socket-probe.js'
import {spawnChild, type ChildExit, type ManagedChild} from './child-process.js'
import {terminateGroup, type TerminateStep} from '../../ground/proc/terminate-group.js'
import type {SupervisorConfig} from './config.js'
import {holdStartupWindow, removeStaleAppServerSocket} from '../../ground/startup/startup-window.js'
import type {RotatingLog} from './logger.js'
import {inodeOf as socketInode} from '../../ground/util/inode.js'
import {listenerPids, processGroupOf} from '../../ground/proc/processes.js'
import {probeAnswers, waitUntilReady} from './readiness.js'
import {wasStable} from './restart-policy.js'
import {INITIAL_MACHINE, isSettled, isShuttingDown, stateDetail, transition, type ExitOutcome, type Machine, type SupervisorEvent, type SupervisorState} from './state-machine.js'
import type {EventKind, SupervisorStore} from '../../ground/supervisor-state/store.js'
import {stoppedBy} from '../../ground/supervisor-state/stop-reason.js'

const SOCKET_REMOVED_SETTLE_MS = 100

/** One spawned child and what codexd learned about it. */
interface Attempt {
  readonly child: ManagedChild
  spawnId?: number
  /** Its exit has been handled: the machine has moved past this child. */
  done?: true
  /** Aborts the wait for its first initialize (it is being ended). */
  readonly abort: AbortController
  readyAt?: number
  /** The inode of the socket file it bound (following codex 0.169's symlink). */
  socketIno?: number
  /** Why it did not count as started, when it did not answer initialize in time. */
  notReady?: string
  /** Periodic probes failed in a row since its last answer. */
  failedProbes: number
  /** Why it was ended as unresponsive (K failed probes in a row). */
  unresponsive?: string
}

/**
 * Owns one app-server child for one CODEX_HOME: spawns it (serialized through the startup lock
 * for lock-unaware children), counts it started only after an initialize round trip, restarts it
 * with exponential backoff that resets after a stable run, enters `crash-loop` after too many
 * unstable exits in a window, and stops competing when another process serves the socket.
 *
 * The state lives in one place, `machine`, changed only by `dispatch` through the pure
 * `transition` (state-machine.ts); this class does the I/O the states call for and announces
 * each state it enters. The loop waits exactly what a `backoff` state carries.
 */
export class Supervisor {
  readonly startedAt = Date.now()
  private machine: Machine = INITIAL_MACHINE
  /** The current (or last) child. */
  private attempt: Attempt | undefined
  private spawns = 0
  private lastExit: StatusReport['lastExit'] = null
  private loopDone: Promise<void> = Promise.resolve()
  private shutdownDone: Promise<{childPid: number | null; step: TerminateStep}> | undefined
  /** Resolved at the next state change (the loop's waits, and start/restart with `wait`). */
  private readonly changeWaiters = new Set<() => void>()
  /** The codex executable's fingerprint when `spec` was read: a spawn after it changed reads the spec again. */
  private specFingerprint: string | undefined
  /** Told of each spec read again before a spawn (upgrades.ts: what is installed is that version). */
  onSpecRead: ((version: string, fingerprint: string) => void) | undefined

  constructor(
    readonly paths: HomePaths,
    /** What the next child is spawned from: a codex upgrade replaces it before the next spawn. */
    public spec: ChildSpec,
    readonly server: string,
    private readonly config: SupervisorConfig,
    private readonly store: SupervisorStore,
    private readonly log: RotatingLog,
  ) {
    // The spec was just read from this executable (child-spec.ts).
    if (spec.kind === 'codex') this.specFingerprint = executableFingerprint(spec.file)
  }

  private get state(): SupervisorState {
    return this.machine.state
  }

  /** Starts the supervision loop (returns at once). */
  start(): void {
    this.loopDone = this.loop()
  }

  /** The child's state for ping. */
  summary(): ChildSummary {
    const detail = this.detail()
    return {pid: process.pid, childState: this.state.kind satisfies ChildState, childPid: this.livePid(), ...(detail ? {detail} : {})}
  }

  /** The in-memory part of the status report (events are added by the caller). */
  report(): Omit<StatusReport, 'events'> {
    const state = this.state
    const readyAt = this.attempt?.readyAt
    return {
      home: this.paths.home,
      state: state.kind === 'running' ? 'running' : 'not-serving',
      supervisor: {pid: process.pid, uptimeMs: Date.now() - this.startedAt, startedAt: new Date(this.startedAt).toISOString(), server: this.server, socket: this.paths.supervisorSocket, log: this.paths.supervisorLog},
      child: {
        kind: this.spec.kind,
        version: this.spec.version,
        describe: this.spec.describe,
        lockAware: this.spec.lockAware,
        pid: this.livePid(),
        state: state.kind,
        detail: this.detail(),
        socket: this.paths.appServerSocket,
        readyAt: readyAt === undefined ? null : new Date(readyAt).toISOString(),
        uptimeMs: state.kind === 'running' ? Date.now() - state.readyAt : null,
      },
      restarts: Math.max(0, this.spawns - 1),
      lastExit: this.lastExit,
      unmanagedListener: state.kind === 'unmanaged' ? state.owner : null,
    }
  }

  /** The version of the child that serves now; null while none does (a new child runs what is installed). */
  runningVersion(): string | null {
    return this.state.kind === 'running' ? this.spec.version : null
  }

  /**
   * `start`: clears crash-loop and unmanaged states and starts the child if it is not running;
   * with `wait`, resolves once the child is running or has settled in a failed state.
   */
  async requestStart(wait: boolean): Promise<ChildSummary> {
    await this.dispatch({type: 'start-requested'}, `start requested while ${this.state.kind}`)
    if (wait) await this.settled()
    return this.summary()
  }

  /**
   * `restart`: ends the current child (if any; SIGKILL after `graceMs`, the configured grace when
   * not given), clears crash-loop, starts afresh.
   */
  async requestRestart(reason: string, wait: boolean, graceMs?: number): Promise<ChildSummary> {
    await this.restartChild(reason, graceMs)
    if (wait) await this.settled()
    return this.summary()
  }

  /**
   * Stops the child (SIGTERM to its process group, SIGKILL after `graceMs`), removes its stale
   * socket, and ends the loop. Says which step ended the child. A second call (a signal during a
   * stop request) gets the first one's result.
   */
  shutdown(reason: string, graceMs: number): Promise<{childPid: number | null; step: TerminateStep}> {
    this.shutdownDone ??= (async () => {
      await this.dispatch({type: 'shutdown', reason, graceMs})
      const child = this.attempt?.child
      const step = child ? await child.terminate(graceMs) : 'already-exited'
      await this.loopDone.catch(() => {})
      // A deleted home is never re-created (the removal makes the control directory).
      if (existsSync(this.paths.home)) await removeStaleAppServerSocket(this.paths).catch((error: Error) => this.event('error', `could not remove the stale app-server socket: ${error.message}`))
      await this.dispatch({type: 'shutdown-complete'})
      await this.event('supervisor-stop', `${reason}; child ${child?.pid ?? 'none'} ended by ${step}`)
      return {childPid: child?.pid ?? null, step}
    })()
    return this.shutdownDone
  }

  /** The socket file vanished while the child runs: clients cannot reach it, so restart it. */
  async onSocketRemoved(what: string): Promise<void> {
    if (this.state.kind !== 'running') return
    // A moment's grace: a path replaced at once (unlink, then another bind) is the probe's case.
    await sleep(SOCKET_REMOVED_SETTLE_MS)
    if (this.state.kind !== 'running') return
    const probe = await probeSocket(this.paths.appServerSocket)
    if (probe.kind === 'live' || this.state.kind !== 'running') return
    await this.event('socket-removed', `${what}; restarting the child so clients can reach it again`, this.attempt?.spawnId)
    await this.restartChild(what)
  }

  /**
   * The periodic probe: a running child whose socket stopped answering is restarted; a socket
   * answered by a process outside our child's group means another listener took over (stop
   * competing); while unmanaged, a vanished listener lets us start our child again.
   */
  async probe(): Promise<void> {
    if (this.state.kind === 'unmanaged') {
      const probe = await probeSocket(this.paths.appServerSocket)
      if (probe.kind === 'live' || probe.kind === 'timeout') return
      await this.event('listener-gone', `the unmanaged listener on ${this.paths.appServerSocket} is gone (${probe.kind}); starting our child`)
      await this.dispatch({type: 'listener-gone'}, 'unmanaged listener gone')
      return
    }
    const attempt = this.attempt
    if (this.state.kind !== 'running' || !attempt || attempt.child.hasExited()) return
    const {child} = attempt
    const probe = await probeSocket(this.paths.appServerSocket)
    if (this.state.kind !== 'running' || this.attempt !== attempt) return
    if (probe.kind === 'absent' || probe.kind === 'refused') {
      await this.onSocketRemoved(`probe: the app-server socket is ${probe.kind}`)
      return
    }
    // The socket file is no longer the one our child bound (same path, new inode): whoever bound
    // it answers there now, even while our child still listens on its unlinked socket.
    const replaced = probe.kind === 'live' && attempt.socketIno !== undefined && socketInode(this.paths.appServerSocket) !== attempt.socketIno
    const owner = probe.kind !== 'live' ? undefined : replaced ? (this.listenerPid(child) ?? null) : this.foreignOwner(child)
    if (owner === undefined) {
      await this.checkAnswers(attempt, probe.kind === 'live' ? undefined : `connecting to ${this.paths.appServerSocket} timed out`)
      return
    }
    const note = `${owner === null ? 'a process codexd cannot identify' : `pid ${owner}`} (not our child ${child.pid}) answers on ${this.paths.appServerSocket}`
    await this.dispatch({type: 'foreign-listener', at: Date.now(), owner: {pid: owner, note}, withChild: true})
    await this.event('unmanaged-listener', `${note}; stopping our child and not competing`, attempt.spawnId)
    await child.kill()
  }

  /**
   * Liveness means answering: an accepting socket is not enough (a stopped or deadlocked child
   * keeps accepting). One bounded initialize round trip per probe; `probeFailures` failures in a
   * row make the child `unresponsive`, and it is ended (SIGTERM, SIGKILL after the grace) and
   * started again. A busy child that answers within `probeTimeoutMs` is never touched.
   */
  private async checkAnswers(attempt: Attempt, connectFailure: string | undefined): Promise<void> {
    const failure = connectFailure ?? (await probeAnswers(this.paths.appServerSocket, this.config.probeTimeoutMs).then(() => undefined, (error: Error) => error.message))
    if (this.state.kind !== 'running' || this.attempt !== attempt || attempt.child.hasExited()) return
    if (failure === undefined) {
      attempt.failedProbes = 0
      return
    }
    attempt.failedProbes++
    this.log.line(`probe: child ${attempt.child.pid} did not answer (${attempt.failedProbes} of ${this.config.probeFailures} in a row): ${failure}`)
    if (attempt.failedProbes < Math.max(1, this.config.probeFailures)) return
    const why = `${attempt.failedProbes} probes in a row got no initialize answer within ${this.config.probeTimeoutMs} ms (last: ${failure})`
    attempt.unresponsive = why
    await this.dispatch({type: 'unresponsive', at: Date.now(), why})
    await this.event('unresponsive', `child ${attempt.child.pid}: ${why}; ending it (SIGTERM, SIGKILL after ${this.graceMs()} ms) and starting a new one`, attempt.spawnId)
    await attempt.child.terminate(this.graceMs())
  }

  // ---- the loop -------------------------------------------------------------------------

  /** Does what each state calls for until the supervisor shuts down. */
  private async loop(): Promise<void> {
    for (;;) {
      const state = this.state
      if (isShuttingDown(state)) return
      if (state.kind === 'starting') {
        // A deleted home is never re-created by a child's start: the supervisor shuts down instead.
        if (!existsSync(this.paths.home)) {
          await this.nextChange()
          continue
        }
        await this.runChild().catch((error: Error) => this.childFailed(error))
        continue
      }
      // Every other state waits: backoff until its deadline, the held ones until an event.
      const changed = this.nextChange()
      if (state.kind === 'backoff') {
        const wake = new AbortController()
        await Promise.race([changed, sleep(Math.max(0, state.until - Date.now()), undefined, {signal: wake.signal}).catch(() => {})])
        wake.abort()
        if (this.state === state) await this.dispatch({type: 'backoff-elapsed'})
      } else await changed
    }
  }

  /** One child lifetime: spawn (serialized if lock-unaware), wait for initialize, wait for exit. */
  private async runChild(): Promise<void> {
    // Changed since the spec was read (an upgrade, seen by the watcher yet or not): the file
    // spawned is another codex, its version (and lock-awareness) read anew.
    if (this.spec.kind === 'codex') {
      const fingerprint = executableFingerprint(this.spec.file)
      if (fingerprint !== this.specFingerprint) {
        this.spec = await codexSpec(this.spec.file)
        this.specFingerprint = fingerprint
        this.onSpecRead?.(this.spec.version!, fingerprint)
      }
    }
    const window = this.spec.lockAware ? undefined : await holdStartupWindow(this.paths, this.config.startupLockTimeoutMs)
    if (window?.foreign) {
      await this.dispatch({type: 'foreign-listener', at: Date.now(), owner: {pid: window.foreign.pid, note: `${window.foreign.note} before codexd spawned its child`}, withChild: false})
      return
    }
    let attempt: Attempt
    try {
      if (this.state.kind !== 'starting') return // a stop or restart came while the lock was awaited
      const child = spawnChild(this.spec, this.paths, this.log)
      this.spawns++
      attempt = {child, abort: new AbortController(), failedProbes: 0}
      this.attempt = attempt
      const spawnId = await this.store.recordSpawn({kind: this.spec.kind, version: this.spec.version, describe: this.spec.describe, lockAware: this.spec.lockAware, pid: child.pid ?? null, startTicks: child.startTicks}).catch(() => undefined)
      attempt.spawnId = spawnId
      await this.event(this.spawns > 1 ? 'restart' : 'spawn', `spawned ${this.spec.describe} as pid ${child.pid ?? 'none'}${this.spawns > 1 ? ` (restart ${this.spawns - 1})` : ''}`, spawnId)
      const readiness = await waitUntilReady(this.paths.appServerSocket, child, this.config.readyTimeoutMs, attempt.abort.signal)
      if (readiness.kind === 'ready') await this.onReady(attempt, readiness.userAgent)
      else if (readiness.kind === 'timeout') {
        attempt.notReady = `did not answer initialize within ${this.config.readyTimeoutMs} ms (${readiness.lastError})`
        // Still `starting` (it never was anything else) until it is gone; the detail says why.
        await this.event('error', `child ${child.pid} ${attempt.notReady}; killing its process group`, spawnId)
        await child.terminate(this.graceMs())
      } else if (readiness.kind === 'aborted' && !child.hasExited()) await child.terminate(this.graceMs())
    } finally {
      window?.release()
    }
    await this.afterExit(attempt)
  }

  /** Waits for the child's exit, ends what it left in its group, records it, and moves on. */
  private async afterExit(attempt: Attempt): Promise<void> {
    const {child} = attempt
    const exit = await child.exited
    // The backoff counts from here (see state-machine.ts).
    const exitedAt = Date.now()
    await this.dispatch({type: 'child-ending', detail: `child ${child.pid ?? 'none'} exited; ending what is left of its process group`})
    // The leader is gone; end whatever it left in its group (grandchildren) before anything else.
    if (child.pid !== undefined) await terminateGroup(child.pid, this.graceMs(), () => true)
    const reason = this.exitReason(attempt, exit, Date.now())
    this.lastExit = {pid: child.pid ?? null, kind: this.spec.kind, code: exit.code, signal: exit.signal, reason, at: new Date().toISOString()}
    if (attempt.spawnId !== undefined) await this.store.recordExit(attempt.spawnId, {code: exit.code, signal: exit.signal, reason}).catch(() => {})
    await this.event('exit', `child ${child.pid ?? 'none'} exited (${describeExit(exit)}): ${reason}`, attempt.spawnId)
    const outcome = this.state.kind === 'stopping' && this.state.cause.kind !== 'exited' ? {kind: 'unstable' as const} : await this.judge(attempt, exit)
    attempt.done = true
    await this.dispatch({type: 'ended', at: Date.now(), exitedAt, outcome, reason})
  }

  /** How a child that ended on its own counts: a stable run, an unstable one, or a duplicate launch. */
  private async judge(attempt: Attempt, exit: ChildExit): Promise<ExitOutcome> {
    const {child} = attempt
    if (exit.alreadyInUse && attempt.readyAt === undefined) {
      const probe = await probeSocket(this.paths.appServerSocket)
      if (probe.kind === 'live' || probe.kind === 'timeout') {
        const pid = this.listenerPid()
        await this.event('duplicate-launch', `child ${child.pid} found another listener on ${this.paths.appServerSocket} (${pid === null ? 'pid unknown' : `pid ${pid}`}); not competing`, attempt.spawnId)
        return {kind: 'duplicate', owner: {pid, note: pid === null ? `a process codexd cannot identify serves ${this.paths.appServerSocket}` : `pid ${pid} serves ${this.paths.appServerSocket}`}}
      }
      await this.event('duplicate-launch', `child ${child.pid} said "already in use" but nothing answers on ${this.paths.appServerSocket}; counting it as a failed start`, attempt.spawnId)
    }
    return wasStable(attempt.readyAt, Date.now(), this.config.stableMs) ? {kind: 'stable'} : {kind: 'unstable'}
  }

  /** A lifetime that failed outside the child (the startup lock timed out, say): an unstable exit. */
  private async childFailed(error: Error): Promise<void> {
    const attempt = this.attempt
    if (attempt && !attempt.done) {
      attempt.done = true
      if (!attempt.child.hasExited()) await attempt.child.terminate(this.graceMs())
    }
    this.log.line(`error: supervision failed: ${error.message}`)
    await this.dispatch({type: 'ended', at: Date.now(), exitedAt: Date.now(), outcome: {kind: 'unstable'}, reason: error.message})
  }

  private async onReady(attempt: Attempt, userAgent: string): Promise<void> {
    const {child} = attempt
    const owner = this.foreignOwner(child)
    if (owner !== undefined) {
      // Another process answered before our child could bind: our launch is the duplicate. Give
      // the child a moment to say so itself ("already in use"), then make sure it is gone.
      const note = `pid ${owner} serves ${this.paths.appServerSocket}`
      await this.dispatch({type: 'foreign-listener', at: Date.now(), owner: {pid: owner, note}, withChild: true})
      await Promise.race([child.exited, sleep(2000)])
      await this.event('duplicate-launch', `child ${child.pid} was launched while ${note}; not competing`, attempt.spawnId)
      await child.kill()
      return
    }
    attempt.readyAt = Date.now()
    attempt.socketIno = socketInode(this.paths.appServerSocket)
    if (attempt.spawnId !== undefined) await this.store.recordReady(attempt.spawnId).catch(() => {})
    await this.dispatch({type: 'ready', at: attempt.readyAt})
    await this.event('ready', `child ${child.pid} answered initialize on ${this.paths.appServerSocket} (${userAgent})`, attempt.spawnId)
  }

  /** Restart (codexd restart, or a vanished socket): end the child if it may run, else start now. */
  private async restartChild(reason: string, graceMs = this.graceMs()): Promise<void> {
    const attempt = this.attempt
    const withChild = attempt !== undefined && !attempt.done
    await this.dispatch({type: 'restart-requested', reason, withChild}, reason)
    if (withChild && this.state.kind === 'stopping' && !attempt.child.hasExited()) await attempt.child.terminate(graceMs)
  }

  // ---- state changes ----------------------------------------------------------------------

  /**
   * Applies `event` through the transition function, wakes whoever waits for a change, and
   * announces the state entered (log line and event). `why` explains clearing a held state.
   */
  private async dispatch(event: SupervisorEvent, why?: string): Promise<void> {
    const before = this.state
    this.machine = transition(this.machine, event, this.config)
    const after = this.state
    if (after === before) return
    if (after.kind === 'stopping') this.attempt?.abort.abort()
    for (const resolve of this.changeWaiters) resolve()
    this.changeWaiters.clear()
    await this.announce(before, after, why)
  }

  /** The one place that logs and records entering a state. */
  private async announce(before: SupervisorState, after: SupervisorState, why: string | undefined): Promise<void> {
    const spawnId = this.attempt?.spawnId
    if (after.kind === 'starting' && (before.kind === 'crash-loop' || before.kind === 'unmanaged' || before.kind === 'stopped')) {
      await this.event('state-cleared', `${before.kind} cleared: ${why ?? 'requested'}`)
    } else if (after.kind === 'backoff') {
      const context = after.stable ? 'stable run: backoff reset' : `${this.machine.failures.length} unstable exits in the window`
      await this.event('backoff', `restarting in ${after.delayMs} ms (${context})`, spawnId)
    } else if (after.kind === 'crash-loop') {
      await this.event('crash-loop', `${after.why}; not restarting until codexd start or codexd restart`, spawnId)
    } else if (after.kind === 'unmanaged') {
      await this.event('unmanaged-listener', `${after.owner.note}; codexd waits until it is gone`)
    }
  }

  /** Resolves at the next state change. */
  private nextChange(): Promise<void> {
    return new Promise((resolve) => this.changeWaiters.add(resolve))
  }

  /** Resolves once the state is settled (running, crash-loop, unmanaged, stopped). */
  private async settled(): Promise<void> {
    while (!isSettled(this.state)) await this.nextChange()
  }

  /** SIGTERM-to-SIGKILL grace: a stop request's own, else the configured one. */
  private graceMs(): number {
    const state = this.state
    return state.kind === 'stopping' && state.cause.kind === 'shutdown' ? state.cause.graceMs : this.config.stopGraceMs
  }

  /** The state's detail, or why the child being started is being ended. */
  private detail(): string | null {
    const attempt = this.attempt
    return stateDetail(this.state) ?? (attempt && !attempt.done ? attempt.notReady : undefined) ?? null
  }

  private livePid(): number | null {
    const child = this.attempt?.child
    return child && !child.hasExited() ? (child.pid ?? null) : null
  }

  private exitReason(attempt: Attempt, exit: ChildExit, exitedAt: number): string {
    const state = this.state
    const cause = state.kind === 'stopping' ? state.cause : undefined
    // The shutdown's own reason: a signal to a foreground `codexd run` is not a `codexd stop`.
    if (cause?.kind === 'shutdown') return stoppedBy(cause.reason)
    if (cause?.kind === 'foreign') return `stopped: ${cause.owner.note}`
    if (cause?.kind === 'restart') return `restarted: ${cause.reason}`
    if (exit.spawnError) return `could not be spawned (${exit.spawnError})`
    if (attempt.unresponsive !== undefined) return `unresponsive: ${attempt.unresponsive}`
    if (exit.alreadyInUse && attempt.readyAt === undefined) return 'duplicate launch: the app-server socket is already in use'
    if (attempt.notReady !== undefined) return attempt.notReady
    // A signal codexd did not send: the reason is the signal, not whatever the child printed last.
    if (exit.signal) return `${attempt.readyAt === undefined ? 'killed before answering initialize' : `killed after serving ${exitedAt - attempt.readyAt} ms`} by ${exit.signal} (not sent by codexd)`
    if (attempt.readyAt === undefined) return `exited before answering initialize${lastLine(exit.outputTail)}`
    return `exited after serving ${exitedAt - attempt.readyAt} ms${lastLine(exit.outputTail)}`
  }

  /** A listener pid outside `child`'s process group, when /proc shows one and none of ours. */
  private foreignOwner(child: ManagedChild): number | undefined {
    const pids = listenerPids(connectPathFor(this.paths.appServerSocket))
    if (pids.length === 0 || child.pid === undefined) return undefined
    if (pids.some((pid) => processGroupOf(pid) === child.pid)) return undefined
    return pids[0]
  }

  /** The first listener on the socket path (outside `exceptGroupOf`'s process group when given). */
  private listenerPid(exceptGroupOf?: ManagedChild): number | null {
    const pids = listenerPids(connectPathFor(this.paths.appServerSocket))
    return pids.find((pid) => exceptGroupOf?.pid === undefined || processGroupOf(pid) !== exceptGroupOf.pid) ?? null
  }

  /** Logs and records an event; recording failures are logged, never thrown. */
  async event(kind: EventKind, message: string, spawnId?: number): Promise<void> {
    this.log.line(`${kind}: ${message}`)
    await this.store.event(kind, message, spawnId ?? null).catch((error: Error) => this.log.line(`error: could not record event: ${error.message}`))
  }
}

function describeExit(exit: ChildExit): string {
  if (exit.spawnError) return exit.spawnError
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`
}

function lastLine(output: string): string {
  const line = output.trim().split('\n').pop()?.trim()
  return line ? `: ${line.slice(0, 200)}` : ''
}
