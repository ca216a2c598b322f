/**
 * The supervisor's control protocol: one JSON object per line in each direction on
 * `$CODEX_HOME/codexd/supervisor.sock`. Kept free of imports so the fast client path stays cheap.
 * Documented in docs/supervisor.md.
 */

/** What a client may ask. `start` clears a crash-loop or unmanaged state and starts the child. */
export type ControlRequestType = 'ping' | 'status' | 'stop' | 'restart' | 'start'

export interface ControlRequest {
  readonly type: ControlRequestType
  /** `stop`/`restart`: milliseconds between SIGTERM and SIGKILL for the child's process group. */
  readonly graceMs?: number
  /** `start`/`restart`: wait for the child to answer initialize before replying (default true). */
  readonly wait?: boolean
}

/** The child's lifecycle state as the supervisor sees it. */
export type ChildState =
  | 'starting' // spawned, no initialize round trip yet
  | 'running' // an initialize round trip succeeded
  | 'backoff' // exited; waiting before the next attempt
  | 'crash-loop' // too many unstable restarts in the window; waits for start/restart
  | 'unmanaged' // another process serves the socket; we do not compete
  | 'stopping'
  | 'stopped'

/** The answer to every request: `ok` plus the request-specific fields, or an error line. */
export type ControlResponse = ({ok: true} & Record<string, unknown>) | {ok: false; error: string; code?: string}

/** The longest line either side accepts (a status with events stays far below it). */
export const MAX_CONTROL_LINE_BYTES = 1024 * 1024
