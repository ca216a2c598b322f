/**
 * The supervisor's control protocol: one JSON object per line in each direction on
 * `$CODEX_HOME/codexd/supervisor.sock`. Kept free of runtime imports so the fast client path stays
 * cheap. Documented in docs/supervisor.md.
 *
 * CONTROL_REQUESTS is the one declaration of the protocol: each request type with its params and
 * the check of its answer. The request and answer types, the server's list of request types and
 * the shape of the supervisor's handlers all derive from it, so a new request is added here and
 * the compiler names every place that must handle it.
 */
import type {StatusReport} from './status-report.js'

/** The child's lifecycle state as the supervisor sees it (docs/supervisor.md, "States"). */
export type ChildState =
  | 'starting' // spawned, no initialize round trip yet
  | 'running' // an initialize round trip succeeded
  | 'backoff' // exited; waiting before the next attempt
  | 'crash-loop' // too many unstable restarts in the window; waits for start/restart
  | 'unresponsive' // running, but its socket stopped answering (reserved: nothing enters it yet)
  | 'unmanaged' // another process serves the socket; we do not compete
  | 'stopping'
  | 'stopped'

const CHILD_STATES: readonly ChildState[] = ['starting', 'running', 'backoff', 'crash-loop', 'unresponsive', 'unmanaged', 'stopping', 'stopped']

/** The answer to ping, start and restart: the supervisor's pid and its child's state. */
export interface ChildSummary {
  /** The supervisor's pid. */
  readonly pid: number
  readonly childState: ChildState
  readonly childPid: number | null
  readonly detail?: string
}

/** The answer to stop, sent once the child has ended; the supervisor exits after writing it. */
export interface StopAnswer {
  readonly stopped: true
  readonly supervisorPid: number
  /** How the child ended: sigterm, sigkill or already-exited. */
  readonly child: {readonly pid: number | null; readonly endedBy: string}
}

/** One request type: its params (besides `type`) and the check that an answer has its shape. */
interface RequestSpec<Params, Answer> {
  /** Validates the params of a request read from the wire (the server's side). */
  readonly paramsOk: (request: Record<string, unknown>) => boolean
  /** Validates an answer read from the wire (the client's side). */
  readonly isAnswer: (answer: Record<string, unknown>) => boolean
  /** Type carriers only: never set. */
  readonly params?: Params
  readonly answer?: Answer
}

function spec<Params, Answer>(paramsOk: RequestSpec<Params, Answer>['paramsOk'], isAnswer: RequestSpec<Params, Answer>['isAnswer']): RequestSpec<Params, Answer> {
  return {paramsOk, isAnswer}
}

const optional = (value: unknown, type: 'number' | 'boolean') => value === undefined || (typeof value === type && (type !== 'number' || Number.isFinite(value)))
/** A grace in ms: absent, or a finite number >= 0 (a negative one would SIGKILL at once). */
const optionalGrace = (value: unknown) => optional(value, 'number') && (value === undefined || (value as number) >= 0)
const noParams = () => true
const pidOrNull = (value: unknown) => value === null || Number.isInteger(value)

function isChildSummary(answer: Record<string, unknown>): boolean {
  return Number.isInteger(answer.pid) && CHILD_STATES.includes(answer.childState as ChildState) && pidOrNull(answer.childPid) && (answer.detail === undefined || typeof answer.detail === 'string')
}

function isStatusReport(answer: Record<string, unknown>): boolean {
  return typeof answer.home === 'string' && typeof answer.state === 'string' && Number.isInteger(answer.restarts) && Array.isArray(answer.events) && typeof answer.supervisor === 'object' && typeof answer.child === 'object'
}

function isStopAnswer(answer: Record<string, unknown>): boolean {
  const child = answer.child as Record<string, unknown> | null | undefined
  return answer.stopped === true && Number.isInteger(answer.supervisorPid) && typeof child === 'object' && child !== null && pidOrNull(child.pid) && typeof child.endedBy === 'string'
}

/** Every control request (in the order the server lists them), its params and its answer. */
export const CONTROL_REQUESTS = {
  ping: spec<{}, ChildSummary>(noParams, isChildSummary),
  status: spec<{}, StatusReport>(noParams, isStatusReport),
  /** `graceMs`: between SIGTERM and SIGKILL for the child's process group. The supervisor exits after answering. */
  stop: spec<{readonly graceMs?: number}, StopAnswer>((request) => optionalGrace(request.graceMs), isStopAnswer),
  /** Ends the child (`graceMs` as for stop), clears a crash-loop, starts afresh; `wait`: answer once it settled (default true). */
  restart: spec<{readonly graceMs?: number; readonly wait?: boolean}, ChildSummary>((request) => optionalGrace(request.graceMs) && optional(request.wait, 'boolean'), isChildSummary),
  /** Clears a crash-loop or unmanaged state and starts the child; `wait` as for restart. */
  start: spec<{readonly wait?: boolean}, ChildSummary>((request) => optional(request.wait, 'boolean'), isChildSummary),
}

type Protocol = typeof CONTROL_REQUESTS

/** What a client may ask. */
export type ControlRequestType = keyof Protocol

/** The request types, in CONTROL_REQUESTS order (the server names them in its error answer). */
export const CONTROL_REQUEST_TYPES = Object.keys(CONTROL_REQUESTS) as ControlRequestType[]

/** A request of type `T` (a union over all types when `T` is not given). */
export type ControlRequest<T extends ControlRequestType = ControlRequestType> = {[K in T]: {readonly type: K} & NonNullable<Protocol[K]['params']>}[T]

/** The answer to a request of type `T` (without the wire's `ok: true`). */
export type ControlAnswer<T extends ControlRequestType> = NonNullable<Protocol[T]['answer']>

/** True when `type` names a control request. */
export function isControlRequestType(type: unknown): type is ControlRequestType {
  return typeof type === 'string' && Object.hasOwn(CONTROL_REQUESTS, type)
}

/** The longest line either side accepts (a status with events stays far below it). */
export const MAX_CONTROL_LINE_BYTES = 1024 * 1024
