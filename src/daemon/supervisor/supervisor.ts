import {setTimeout as sleep} from 'node:timers/promises'
import pRetry from 'p-retry'
import type {ChildSpec} from '../../shared/children/child-spec.js'
import type {ChildState, ChildSummary} from '../../shared/protocol/control.js'
import type {StatusReport} from '../../shared/protocol/status-report.js'
import {CodexdError} from '../../shared/errors/codexd-error.js'
import type {HomePaths} from '../../shared/home/codex-home.js'
import {connectPathFor} from '../../shared/home/socket-path.js'
import {probeSocket} from '../../shared/startup/socket-probe.js'
import {spawnChild, type ChildExit, type ManagedChild} from './child-process.js'
import {terminateGroup, type TerminateStep} from '../../shared/proc/terminate-group.js'
import type {SupervisorConfig} from './config.js'
import {holdStartupWindow, removeStaleAppServerSocket} from '../../shared/startup/startup-window.js'
import type {RotatingLog} from './logger.js'
import {inodeOf as socketInode} from '../../shared/util/inode.js'
import {listenerPids, processGroupOf} from '../../shared/proc/processes.js'
import {waitUntilReady} from './readiness.js'
import {backoffDelay, CrashLoopDetector, retryOptions, wasStable} from './restart-policy.js'
import type {EventKind, SupervisorStore} from '../../shared/supervisor-state/store.js'

const SOCKET_REMOVED_SETTLE_MS = 100

/** Another process owns the app-server socket: stop competing (no retry, state `unmanaged`). */
class ForeignListener extends Error {
  constructor(readonly pid: number | null, readonly note: string) {
    super(note)
  }
}

/** The supervisor is shutting down: leave the retry loop. */
class ShuttingDown extends Error {}

/**
 * Owns one app-server child for one CODEX_HOME: spawns it (serialized through the startup lock
 * for lock-unaware children), counts it started only after an initialize round trip, restarts it
 * with exponential backoff (p-retry) that resets after a stable run, enters `crash-loop` after
 * too many unstable exits in a window, and stops competing when another process serves the socket.
 */
export class Supervisor {
  readonly startedAt = Date.now()
  private state: ChildState = 'starting'
  private detail: string | undefined
  private child: ManagedChild | undefined
  private spawnId: number | undefined
  private readyAt: number | undefined
  /** When the last child exited: the backoff after a stable run is counted from here. */
  private lastExitAt: number | undefined
  /** The inode of the socket file our running child bound (following codex 0.169's symlink). */
  private socketIno: number | undefined
  private spawns = 0
  private lastExit: StatusReport['lastExit'] = null
  private unmanaged: {pid: number | null; since: string; note: string} | null = null
  private readonly crashLoop: CrashLoopDetector
  private episode: AbortController | undefined
  private wake: (() => void) | undefined
  private restartReason: string | undefined
  private foreign: ForeignListener | undefined
  private shuttingDown = false
  /** SIGTERM-to-SIGKILL grace; a stop request may override the configured one. */
  private graceMs: number
  private loopDone: Promise<void> | undefined
  private readonly settledWaiters = new Set<() => void>()

  constructor(
    readonly paths: HomePaths,
    readonly spec: ChildSpec,
    readonly server: string,
    private readonly config: SupervisorConfig,
    private readonly store: SupervisorStore,
    private readonly log: RotatingLog,
  ) {
    this.crashLoop = new CrashLoopDetector(config.crashLoopCount, config.crashLoopWindowMs)
    this.graceMs = config.stopGraceMs
  }

  /** Starts the supervision loop (returns at once). */
  start(): void {
    this.loopDone = this.loop()
  }

  /** The child's state for ping. */
  summary(): ChildSummary {
    const child = this.child && !this.child.hasExited() ? (this.child.pid ?? null) : null
    return {pid: process.pid, childState: this.state, childPid: child, ...(this.detail ? {detail: this.detail} : {})}
  }

  /** The in-memory part of the status report (events are added by the caller). */
  report(): Omit<StatusReport, 'events'> {
    const child = this.child
    return {
      home: this.paths.home,
      state: this.state === 'running' ? 'running' : 'not-serving',
      supervisor: {pid: process.pid, uptimeMs: Date.now() - this.startedAt, startedAt: new Date(this.startedAt).toISOString(), server: this.server, socket: this.paths.supervisorSocket, log: this.paths.supervisorLog},
      child: {
        kind: this.spec.kind,
        version: this.spec.version,
        describe: this.spec.describe,
        lockAware: this.spec.lockAware,
        pid: child && !child.hasExited() ? (child.pid ?? null) : null,
        state: this.state,
        detail: this.detail ?? null,
        socket: this.paths.appServerSocket,
        readyAt: this.readyAt === undefined ? null : new Date(this.readyAt).toISOString(),
        uptimeMs: this.readyAt === undefined || this.state !== 'running' ? null : Date.now() - this.readyAt,
      },
      restarts: Math.max(0, this.spawns - 1),
      lastExit: this.lastExit,
      unmanagedListener: this.unmanaged,
    }
  }

  /**
   * `start`: clears crash-loop and unmanaged states and (re)starts the child if it is not
   * running; with `wait`, resolves once the child is running or has settled in a failed state.
   */
  async requestStart(wait: boolean): Promise<ChildSummary> {
    if (this.state === 'crash-loop' || this.state === 'unmanaged' || this.state === 'stopped') {
      this.clearHold(`start requested while ${this.state}`)
    }
    if (wait && this.state !== 'running') await this.settled()
    return this.summary()
  }

  /** `restart`: ends the current child (if any), clears crash-loop, starts afresh. */
  async requestRestart(reason: string, wait: boolean): Promise<ChildSummary> {
    await this.restartChild(reason, 'restart')
    if (wait) await this.settled()
    return this.summary()
  }

  /**
   * Stops the child (SIGTERM to its process group, SIGKILL after `graceMs`), removes its stale
   * socket, and ends the loop. Says which step ended the child.
   */
  async shutdown(reason: string, graceMs: number): Promise<{childPid: number | null; step: TerminateStep}> {
    this.shuttingDown = true
    this.graceMs = graceMs
    this.state = 'stopping'
    this.episode?.abort(new ShuttingDown(reason))
    this.wake?.()
    const child = this.child
    const step = child ? await child.terminate(graceMs) : 'already-exited'
    await this.loopDone?.catch(() => {})
    await removeStaleAppServerSocket(this.paths).catch((error: Error) => this.event('error', `could not remove the stale app-server socket: ${error.message}`))
    this.state = 'stopped'
    this.notifySettled()
    await this.event('supervisor-stop', `${reason}; child ${child?.pid ?? 'none'} ended by ${step}`)
    return {childPid: child?.pid ?? null, step}
  }

  /** The socket file vanished while the child runs: clients cannot reach it, so restart it. */
  async onSocketRemoved(what: string): Promise<void> {
    if (this.state !== 'running' || this.restartReason !== undefined) return
    // A moment's grace: a path replaced at once (unlink, then another bind) is the probe's case.
    await sleep(SOCKET_REMOVED_SETTLE_MS)
    if (this.state !== 'running' || this.restartReason !== undefined) return
    const probe = await probeSocket(this.paths.appServerSocket)
    if (probe.kind === 'live' || this.state !== 'running') return
    await this.event('socket-removed', `${what}; restarting the child so clients can reach it again`, this.spawnId)
    await this.restartChild(`${what}`, 'watch')
  }

  /**
   * The periodic probe: a running child whose socket stopped answering is restarted; a socket
   * answered by a process outside our child's group means another listener took over (stop
   * competing); while unmanaged, a vanished listener lets us start our child again.
   */
  async probe(): Promise<void> {
    if (this.shuttingDown) return
    if (this.state === 'unmanaged') {
      const probe = await probeSocket(this.paths.appServerSocket)
      if (probe.kind === 'live' || probe.kind === 'timeout') return
      await this.event('listener-gone', `the unmanaged listener on ${this.paths.appServerSocket} is gone (${probe.kind}); starting our child`)
      this.clearHold('unmanaged listener gone')
      return
    }
    if (this.state !== 'running' || this.restartReason !== undefined) return
    const child = this.child
    if (!child || child.hasExited()) return
    const probe = await probeSocket(this.paths.appServerSocket)
    if (this.state !== 'running' || this.child !== child) return
    if (probe.kind === 'absent' || probe.kind === 'refused') {
      await this.onSocketRemoved(`probe: the app-server socket is ${probe.kind}`)
      return
    }
    if (probe.kind !== 'live') return
    // The socket file is no longer the one our child bound (same path, new inode): whoever bound
    // it answers there now, even while our child still listens on its unlinked socket.
    const replaced = this.socketIno !== undefined && socketInode(this.paths.appServerSocket) !== this.socketIno
    const owner = replaced ? (this.listenerPid(child) ?? null) : this.foreignOwner(child)
    if (owner !== undefined) {
      this.foreign = new ForeignListener(owner, `${owner === null ? 'a process codexd cannot identify' : `pid ${owner}`} (not our child ${child.pid}) answers on ${this.paths.appServerSocket}`)
      await this.event('unmanaged-listener', `${this.foreign.note}; stopping our child and not competing`, this.spawnId)
      await child.kill()
    }
  }

  // ---- the loop -------------------------------------------------------------------------

  private async loop(): Promise<void> {
    while (!this.shuttingDown) {
      if (this.state === 'crash-loop' || this.state === 'unmanaged' || this.state === 'stopped') {
        await new Promise<void>((resolve) => (this.wake = resolve))
        this.wake = undefined
        continue
      }
      const episode = new AbortController()
      this.episode = episode
      try {
        const ended = await pRetry(() => this.runOnce(episode.signal), {
          ...retryOptions(this.config),
          signal: episode.signal,
          onFailedAttempt: ({error, retriesConsumed}) => this.onFailedAttempt(error, retriesConsumed),
          shouldRetry: ({error}) => !(error instanceof ForeignListener) && !(error instanceof ShuttingDown) && !this.inCrashLoop(),
        })
        // A stable run ended, or a restart was requested: the next streak starts with fresh backoff.
        if (ended === 'stable') await this.pauseAfterStableExit(episode.signal)
      } catch (error) {
        if (this.shuttingDown) break
        if (error instanceof ForeignListener) await this.enterUnmanaged(error)
        else if (episode.signal.aborted) continue // start/restart during backoff
        else if (!this.inCrashLoop()) await this.enterCrashLoop(`supervision failed: ${(error as Error).message}`)
      }
    }
  }

  /** One child lifetime: spawn (serialized if lock-unaware), wait for initialize, wait for exit. */
  private async runOnce(signal: AbortSignal): Promise<'stable' | 'requested'> {
    if (this.shuttingDown) throw new ShuttingDown()
    this.setState('starting', undefined)
    this.readyAt = undefined
    this.socketIno = undefined
    this.foreign = undefined
    const window = this.spec.lockAware ? undefined : await holdStartupWindow(this.paths, this.config.startupLockTimeoutMs)
    if (window?.foreign) throw new ForeignListener(window.foreign.pid, `${window.foreign.note} before codexd spawned its child`)
    let child: ManagedChild
    let notReady: string | undefined
    try {
      if (this.shuttingDown) throw new ShuttingDown()
      child = spawnChild(this.spec, this.paths, this.log)
      this.child = child
      this.spawns++
      this.spawnId = await this.store.recordSpawn({kind: this.spec.kind, version: this.spec.version, describe: this.spec.describe, lockAware: this.spec.lockAware, pid: child.pid ?? null, startTicks: child.startTicks}).catch(() => undefined)
      await this.event(this.spawns > 1 ? 'restart' : 'spawn', `spawned ${this.spec.describe} as pid ${child.pid ?? 'none'}${this.spawns > 1 ? ` (restart ${this.spawns - 1})` : ''}`, this.spawnId)
      const readiness = await waitUntilReady(this.paths.appServerSocket, child, this.config.readyTimeoutMs, signal)
      if (readiness.kind === 'ready') await this.onReady(child, readiness.userAgent)
      else if (readiness.kind === 'timeout') {
        notReady = `did not answer initialize within ${this.config.readyTimeoutMs} ms (${readiness.lastError})`
        this.detail = notReady
        await this.event('error', `child ${child.pid} ${notReady}; killing its process group`, this.spawnId)
        await child.terminate(this.graceMs)
      } else if (readiness.kind === 'aborted' && !child.hasExited()) await child.terminate(this.graceMs)
    } finally {
      window?.release()
    }
    const exit = await child.exited
    // The backoff counts from here: ending what the child left in its group (codex leaves helpers
    // that take a while to go) and the bookkeeping below must not add to it.
    this.lastExitAt = Date.now()
    if (!this.shuttingDown) this.setState('stopping', `child ${child.pid ?? 'none'} exited; ending what is left of its process group`)
    // The leader is gone; end whatever it left in its group (grandchildren) before anything else.
    if (child.pid !== undefined) await terminateGroup(child.pid, this.graceMs, () => true)
    const exitedAt = Date.now()
    const reason = this.exitReason(exit, exitedAt, notReady)
    this.lastExit = {pid: child.pid ?? null, kind: this.spec.kind, code: exit.code, signal: exit.signal, reason, at: new Date(exitedAt).toISOString()}
    if (this.spawnId !== undefined) await this.store.recordExit(this.spawnId, {code: exit.code, signal: exit.signal, reason}).catch(() => {})
    await this.event('exit', `child ${child.pid ?? 'none'} exited (${describeExit(exit)}): ${reason}`, this.spawnId)
    if (this.shuttingDown) throw new ShuttingDown()
    if (this.foreign) throw this.foreign
    if (this.restartReason !== undefined) {
      this.restartReason = undefined
      return 'requested'
    }
    if (exit.alreadyInUse && this.readyAt === undefined) {
      const probe = await probeSocket(this.paths.appServerSocket)
      if (probe.kind === 'live' || probe.kind === 'timeout') {
        const pid = this.listenerPid()
        await this.event('duplicate-launch', `child ${child.pid} found another listener on ${this.paths.appServerSocket} (${pid === null ? 'pid unknown' : `pid ${pid}`}); not competing`, this.spawnId)
        throw new ForeignListener(pid, pid === null ? `a process codexd cannot identify serves ${this.paths.appServerSocket}` : `pid ${pid} serves ${this.paths.appServerSocket}`)
      }
      await this.event('duplicate-launch', `child ${child.pid} said "already in use" but nothing answers on ${this.paths.appServerSocket}; counting it as a failed start`, this.spawnId)
    }
    if (wasStable(this.readyAt, exitedAt, this.config.stableMs)) return 'stable'
    throw new Error(reason)
  }

  /**
   * After a stable run the backoff is reset: the next start waits only the first step, counted
   * from the exit itself, so the bookkeeping in between (SQLite writes) does not add to it.
   */
  private async pauseAfterStableExit(signal: AbortSignal): Promise<void> {
    const delay = backoffDelay(0, this.config)
    this.setState('backoff', `restarting in ${delay} ms after a stable run`)
    await this.event('backoff', `restarting in ${delay} ms (stable run: backoff reset)`, this.spawnId)
    const remaining = (this.lastExitAt ?? Date.now()) + delay - Date.now()
    if (remaining > 0) await sleep(remaining, undefined, {signal}).catch(() => {})
  }

  private async onReady(child: ManagedChild, userAgent: string): Promise<void> {
    const owner = this.foreignOwner(child)
    if (owner !== undefined) {
      // Another process answered before our child could bind: our launch is the duplicate. Give
      // the child a moment to say so itself ("already in use"), then make sure it is gone.
      this.foreign = new ForeignListener(owner, `pid ${owner} serves ${this.paths.appServerSocket}`)
      await Promise.race([child.exited, sleep(2000)])
      await this.event('duplicate-launch', `child ${child.pid} was launched while ${this.foreign.note}; not competing`, this.spawnId)
      await child.kill()
      return
    }
    this.readyAt = Date.now()
    this.socketIno = socketInode(this.paths.appServerSocket)
    if (this.spawnId !== undefined) await this.store.recordReady(this.spawnId).catch(() => {})
    this.setState('running', undefined)
    await this.event('ready', `child ${child.pid} answered initialize on ${this.paths.appServerSocket} (${userAgent})`, this.spawnId)
  }

  private async onFailedAttempt(error: Error, retriesConsumed: number): Promise<void> {
    if (error instanceof ForeignListener || error instanceof ShuttingDown || this.shuttingDown) return
    if (this.crashLoop.record()) {
      await this.enterCrashLoop(`${this.config.crashLoopCount} unstable exits within ${this.config.crashLoopWindowMs} ms; last: ${error.message}`)
      return
    }
    const delay = backoffDelay(retriesConsumed, this.config)
    this.setState('backoff', `restarting in ${delay} ms after: ${error.message}`)
    await this.event('backoff', `restarting in ${delay} ms (${this.crashLoop.recent()} unstable exits in the window)`, this.spawnId)
  }

  private inCrashLoop(): boolean {
    return this.state === 'crash-loop'
  }

  private async enterCrashLoop(why: string): Promise<void> {
    this.setState('crash-loop', why)
    await this.event('crash-loop', `${why}; not restarting until codexd start or codexd restart`, this.spawnId)
  }

  private async enterUnmanaged(foreign: ForeignListener): Promise<void> {
    this.unmanaged = {pid: foreign.pid, since: new Date().toISOString(), note: foreign.pid === null ? `${foreign.note} (its pid is not visible to codexd)` : foreign.note}
    this.setState('unmanaged', this.unmanaged.note)
    await this.event('unmanaged-listener', `${this.unmanaged.note}; codexd waits until it is gone`)
  }

  /** Clears a held state (crash-loop, unmanaged, stopped) and wakes the loop. */
  private clearHold(why: string): void {
    void this.event('state-cleared', `${this.state} cleared: ${why}`)
    this.crashLoop.reset()
    this.unmanaged = null
    this.setState('starting', undefined)
    this.wake?.()
  }

  private async restartChild(reason: string, source: 'restart' | 'watch'): Promise<void> {
    this.crashLoop.reset()
    const child = this.child
    if ((this.state === 'running' || this.state === 'starting') && child && !child.hasExited()) {
      this.restartReason = reason
      this.setState('stopping', reason)
      await child.terminate(this.graceMs)
      return
    }
    if (this.state === 'backoff') {
      this.setState('starting', undefined)
      this.episode?.abort(new Error(reason))
      return
    }
    if (source === 'restart') this.clearHold(reason)
  }

  private exitReason(exit: ChildExit, exitedAt: number, notReady: string | undefined): string {
    if (this.shuttingDown) return 'stopped by codexd stop'
    if (this.foreign) return `stopped: ${this.foreign.note}`
    if (this.restartReason !== undefined) return `restarted: ${this.restartReason}`
    if (exit.spawnError) return `could not be spawned (${exit.spawnError})`
    if (exit.alreadyInUse && this.readyAt === undefined) return 'duplicate launch: the app-server socket is already in use'
    if (notReady !== undefined) return notReady
    if (this.readyAt === undefined) return `exited before answering initialize${lastLine(exit.outputTail)}`
    return `exited after serving ${exitedAt - this.readyAt} ms${lastLine(exit.outputTail)}`
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

  private setState(state: ChildState, detail: string | undefined): void {
    this.state = state
    this.detail = detail
    if (state === 'running' || state === 'crash-loop' || state === 'unmanaged' || state === 'stopped') this.notifySettled()
  }

  /** Resolves at the next settled state (running, crash-loop, unmanaged, stopped). */
  private settled(): Promise<void> {
    return new Promise((resolve) => this.settledWaiters.add(resolve))
  }

  private notifySettled(): void {
    for (const resolve of this.settledWaiters) resolve()
    this.settledWaiters.clear()
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

/** Makes a CodexdError from an unknown failure, for the control answer. */
export function asCodexdMessage(error: unknown): string {
  return error instanceof CodexdError || error instanceof Error ? error.message : String(error)
}
