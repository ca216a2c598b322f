import type {SupervisorConfig} from './config.js'
import {backoffDelay, recordUnstableExit} from './restart-policy.js'

/** A process other than our child that serves the app-server socket. */
export interface SocketOwner {
  /** null when codexd cannot see it (another user's process, no /proc). */
  readonly pid: number | null
  /** When codexd found it (ISO time). */
  readonly since: string
  readonly note: string
}

/** Why the child is being ended, which decides the state once it is gone. */
export type StopCause =
  | {readonly kind: 'exited'; readonly detail: string} // it exited (or failed to start) on its own
  | {readonly kind: 'restart'; readonly reason: string} // codexd restart, or its socket vanished
  | {readonly kind: 'foreign'; readonly owner: SocketOwner} // another process took the socket
  | {readonly kind: 'shutdown'; readonly reason: string; readonly graceMs: number} // the supervisor stops

/** The child's state, each with the data that belongs to it (docs/supervisor.md, "States"). */
export type SupervisorState =
  | {readonly kind: 'starting'}
  | {readonly kind: 'running'; readonly readyAt: number}
  | {readonly kind: 'backoff'; readonly delayMs: number; readonly until: number; readonly after: string; readonly stable: boolean}
  | {readonly kind: 'crash-loop'; readonly why: string}
  | {readonly kind: 'unresponsive'; readonly since: number; readonly why: string}
  | {readonly kind: 'unmanaged'; readonly owner: SocketOwner}
  | {readonly kind: 'stopping'; readonly cause: StopCause}
  | {readonly kind: 'stopped'}

/** The state plus what the restart policy remembers across child lifetimes. */
export interface Machine {
  readonly state: SupervisorState
  /** Unstable exits in the current streak: the index of the next backoff step. */
  readonly streak: number
  /** Times of unstable exits still inside the crash-loop window. */
  readonly failures: readonly number[]
}

/** How a child lifetime ended, as the supervisor judged it after the exit. */
export type ExitOutcome = {readonly kind: 'stable'} | {readonly kind: 'unstable'} | {readonly kind: 'duplicate'; readonly owner: Omit<SocketOwner, 'since'>}

/** What drives the machine. `at` is the time the event happened (ms since the epoch). */
export type SupervisorEvent =
  | {readonly type: 'ready'; readonly at: number}
  /** The child exited on its own, or failed to start and is being ended. */
  | {readonly type: 'child-ending'; readonly detail: string}
  | {readonly type: 'ended'; readonly at: number; readonly exitedAt: number; readonly outcome: ExitOutcome; readonly reason: string}
  | {readonly type: 'backoff-elapsed'}
  /** `withChild`: a child lifetime is in progress (spawned, its exit not yet handled). */
  | {readonly type: 'foreign-listener'; readonly at: number; readonly owner: Omit<SocketOwner, 'since'>; readonly withChild: boolean}
  | {readonly type: 'listener-gone'}
  /** The running child failed the periodic probe too many times in a row: it is being ended. */
  | {readonly type: 'unresponsive'; readonly at: number; readonly why: string}
  | {readonly type: 'start-requested'}
  | {readonly type: 'restart-requested'; readonly reason: string; readonly withChild: boolean}
  | {readonly type: 'shutdown'; readonly reason: string; readonly graceMs: number}
  | {readonly type: 'shutdown-complete'}

/** The policy settings the transitions need. */
export type MachinePolicy = Pick<SupervisorConfig, 'backoffMinMs' | 'backoffMaxMs' | 'backoffFactor' | 'crashLoopCount' | 'crashLoopWindowMs'>

/** The machine of a supervisor that has not spawned yet. */
export const INITIAL_MACHINE: Machine = {state: {kind: 'starting'}, streak: 0, failures: []}

/** States that need an explicit start, restart or a vanished listener to leave. */
const HELD = new Set<SupervisorState['kind']>(['crash-loop', 'unmanaged', 'stopped'])

/** States a start/restart with `wait` answers in: the child came up, or it will not without help. */
const SETTLED = new Set<SupervisorState['kind']>(['running', 'crash-loop', 'unmanaged', 'stopped'])

/** States with a child that may still run. */
const WITH_CHILD = new Set<SupervisorState['kind']>(['starting', 'running', 'unresponsive', 'stopping'])

/** True when a `wait`ing start or restart may answer in `state`. */
export function isSettled(state: SupervisorState): boolean {
  return SETTLED.has(state.kind)
}

/** True while the supervisor is shutting down or has shut down: nothing is started any more. */
export function isShuttingDown(state: SupervisorState): boolean {
  return state.kind === 'stopped' || (state.kind === 'stopping' && state.cause.kind === 'shutdown')
}

/**
 * The one transition function: the machine after `event`. Pure (times come in the events), so
 * every delay is computed here once and carried in the `backoff` state that the loop waits on.
 * An event that does not apply to the current state leaves the machine as it is.
 */
export function transition(machine: Machine, event: SupervisorEvent, policy: MachinePolicy): Machine {
  const {state} = machine
  if (isShuttingDown(state)) return event.type === 'shutdown-complete' ? {...machine, state: {kind: 'stopped'}} : machine
  const fresh = {streak: 0, failures: []}
  switch (event.type) {
    case 'shutdown':
      return {...machine, state: {kind: 'stopping', cause: {kind: 'shutdown', reason: event.reason, graceMs: event.graceMs}}}
    case 'ready':
      return state.kind === 'starting' ? {...machine, state: {kind: 'running', readyAt: event.at}} : machine
    case 'child-ending':
      return state.kind === 'starting' || state.kind === 'running' || state.kind === 'unresponsive' ? {...machine, state: {kind: 'stopping', cause: {kind: 'exited', detail: event.detail}}} : machine
    case 'foreign-listener': {
      if (!WITH_CHILD.has(state.kind)) return machine
      const owner = {...event.owner, since: new Date(event.at).toISOString()}
      return {...machine, state: event.withChild ? {kind: 'stopping', cause: {kind: 'foreign', owner}} : unmanaged(owner)}
    }
    case 'ended':
      return WITH_CHILD.has(state.kind) ? afterChild(machine, event, policy) : machine
    case 'backoff-elapsed':
      return state.kind === 'backoff' ? {...machine, state: {kind: 'starting'}} : machine
    case 'unresponsive':
      return state.kind === 'running' ? {...machine, state: {kind: 'unresponsive', since: event.at, why: event.why}} : machine
    case 'listener-gone':
      return state.kind === 'unmanaged' ? {...fresh, state: {kind: 'starting'}} : machine
    case 'start-requested':
      return HELD.has(state.kind) ? {...fresh, state: {kind: 'starting'}} : machine
    case 'restart-requested':
      // A child that may still run is ended first; without one, start at once. Either way the
      // crash-loop window and the backoff streak start over.
      return {...fresh, state: event.withChild && WITH_CHILD.has(state.kind) ? {kind: 'stopping', cause: {kind: 'restart', reason: event.reason}} : {kind: 'starting'}}
    case 'shutdown-complete':
      return machine
  }
}

/** The state once a child is gone (its group ended, its exit recorded). */
function afterChild(machine: Machine, event: Extract<SupervisorEvent, {type: 'ended'}>, policy: MachinePolicy): Machine {
  const cause = machine.state.kind === 'stopping' ? machine.state.cause : undefined
  if (cause?.kind === 'restart') return {...machine, state: {kind: 'starting'}}
  if (cause?.kind === 'foreign') return {...machine, state: unmanaged(cause.owner)}
  const {outcome} = event
  if (outcome.kind === 'duplicate') return {...machine, state: unmanaged({...outcome.owner, since: new Date(event.at).toISOString()})}
  if (outcome.kind === 'stable') {
    // A stable run resets the backoff: the next start waits only the first step.
    const delayMs = backoffDelay(0, policy)
    return {...machine, streak: 0, state: {kind: 'backoff', delayMs, until: event.exitedAt + delayMs, after: 'a stable run', stable: true}}
  }
  const failures = recordUnstableExit(machine.failures, event.at, policy)
  if (failures.crashLoop) {
    return {...machine, failures: failures.recent, state: {kind: 'crash-loop', why: `${policy.crashLoopCount} unstable exits within ${policy.crashLoopWindowMs} ms; last: ${event.reason}`}}
  }
  // Counted from the exit itself: ending what the child left in its group and the bookkeeping
  // since (codex leaves helpers that take a while to go) must not add to the wait.
  const delayMs = backoffDelay(machine.streak, policy)
  return {streak: machine.streak + 1, failures: failures.recent, state: {kind: 'backoff', delayMs, until: event.exitedAt + delayMs, after: event.reason, stable: false}}
}

function unmanaged(owner: SocketOwner): SupervisorState {
  return {kind: 'unmanaged', owner: owner.pid === null ? {...owner, note: `${owner.note} (its pid is not visible to codexd)`} : owner}
}

/** The one-line detail status shows for `state` (null when there is nothing to add). */
export function stateDetail(state: SupervisorState): string | null {
  switch (state.kind) {
    case 'backoff':
      return state.stable ? `restarting in ${state.delayMs} ms after ${state.after}` : `restarting in ${state.delayMs} ms after: ${state.after}`
    case 'crash-loop':
      return state.why
    case 'unresponsive':
      return state.why
    case 'unmanaged':
      return state.owner.note
    case 'stopping':
      return state.cause.kind === 'exited' ? state.cause.detail : state.cause.kind === 'restart' ? state.cause.reason : state.cause.kind === 'foreign' ? state.cause.owner.note : null
    default:
      return null
  }
}
