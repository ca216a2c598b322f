import {dirname} from 'node:path'
import {ensurePrivateDir} from '../home/private-dir.js'
import type {SocketEndpoint} from '../home/socket-path.js'
import {acquireLock} from '../lock/flock.js'
import {faultPoint, startupLockDisabled} from '../testing/fault-points.js'
import {alreadyInUseError, prepareSocketPath, type PrepareOutcome} from './prepare-socket.js'
import {probeSocket} from './socket-probe.js'

export interface StartupPlan<State, Listener> {
  /** codex's startup lock file (`$CODEX_HOME/app-server-control/app-server-startup.lock`). */
  readonly lockPath: string
  /** Where to bind, or undefined for a server without a socket (stdio). */
  readonly endpoint?: SocketEndpoint
  readonly lockTimeoutMs: number
  /** Step 3: initialize state (SQLite migrations) while the lock is held. */
  initState(): Promise<State>
  /** Step 4: bind the socket while the lock is held. */
  bind(endpoint: SocketEndpoint | undefined, state: State): Promise<Listener>
  /** Undoes `initState` (closes the database) when a later step fails. */
  abandonState?(state: State): Promise<void>
  /** Told once when the lock is busy, with the holders' pids when known. */
  onLockWait?(holders: readonly number[]): void
}

export interface StartupResult<State, Listener> {
  readonly state: State
  readonly listener: Listener
  readonly prepared: PrepareOutcome | 'no-socket'
}

/**
 * codex's serialized unix startup (docs/architecture.md): take the exclusive startup lock, prepare
 * the socket path, initialize state, bind, release. Any number of concurrent callers on one
 * CODEX_HOME end with one listener; the others fail with the duplicate-launch error before they
 * touch state. A live listener found before the lock fails at once, without waiting for it.
 */
export async function serializedStartup<State, Listener>(plan: StartupPlan<State, Listener>): Promise<StartupResult<State, Listener>> {
  const {endpoint} = plan
  ensurePrivateDir(dirname(plan.lockPath))
  if (endpoint) {
    ensurePrivateDir(dirname(endpoint.canonical))
    if (endpoint.linked) ensurePrivateDir(dirname(endpoint.bindPath))
    // A live listener is definitive: fail a duplicate launch in milliseconds, lock untouched.
    const early = await probeSocket(endpoint.canonical)
    if (early.kind === 'live') throw alreadyInUseError(endpoint.canonical)
  }
  const lock = startupLockDisabled()
    ? {release() {}}
    : await acquireLock(plan.lockPath, {timeoutMs: plan.lockTimeoutMs, onWait: plan.onLockWait, purpose: 'the app-server startup lock'})
  let state: State | undefined
  try {
    await faultPoint('after-lock')
    const prepared = endpoint ? await prepareSocketPath(endpoint) : 'no-socket'
    await faultPoint('after-prepare')
    state = await plan.initState()
    await faultPoint('after-state')
    const listener = await plan.bind(endpoint, state)
    await faultPoint('after-bind')
    return {state, listener, prepared}
  } catch (error) {
    if (state !== undefined) await plan.abandonState?.(state).catch(() => {})
    throw error
  } finally {
    lock.release()
  }
}
