/**
 * The stable `codexd status --json` object (documented in docs/supervisor.md). Other tools (the
 * smoke harness, scripts) read it: add fields, never rename or remove them.
 */
export interface StatusReport {
  /** The CODEX_HOME this report is about. */
  readonly home: string
  /** running: the child answered initialize; not-running: no supervisor; unreachable: the supervisor does not answer; not-serving: it answers but the child is not running. */
  readonly state: 'running' | 'not-running' | 'unreachable' | 'not-serving'
  readonly supervisor: {readonly pid: number; readonly uptimeMs: number; readonly startedAt: string; readonly server: string; readonly socket: string; readonly log: string} | null
  readonly child: {
    readonly kind: string
    readonly version: string | null
    readonly describe: string
    readonly lockAware: boolean
    readonly pid: number | null
    /** starting | running | backoff | crash-loop | unresponsive | unmanaged | stopping | stopped (ChildState) */
    readonly state: string
    readonly detail: string | null
    /** The canonical app-server socket clients connect to. */
    readonly socket: string
    readonly readyAt: string | null
    readonly uptimeMs: number | null
  } | null
  /** Child spawns after the first, in this supervisor run. */
  readonly restarts: number
  readonly lastExit: {readonly pid: number | null; readonly kind: string; readonly code: number | null; readonly signal: string | null; readonly reason: string | null; readonly at: string} | null
  /** Another process serves the app-server socket; pid null when it cannot be found (other user, no /proc). */
  readonly unmanagedListener: {readonly pid: number | null; readonly since: string; readonly note: string} | null
  readonly events: readonly {readonly at: string; readonly kind: string; readonly message: string}[]
  /** The codex executable's installed version against the running child's (a codex child only; null otherwise). */
  readonly upgrade?: UpgradeReport | null
  /** Why the supervisor could not be asked (not-running, unreachable); null when it answered (status-query sets it). */
  readonly message?: string | null
}

/** Running vs installed codex, and what the supervisor does about a difference (docs/codex-daemon.md, "Upgrades"). */
export interface UpgradeReport {
  /** --on-upgrade: restart-when-idle | restart-now | notify */
  readonly policy: string
  /** The path the child is spawned by (watched for upgrades). */
  readonly executable: string
  /** The version of the child serving now; null while none serves. */
  readonly running: string | null
  /** What `codex --version` of the executable said when it was last read (at start, then after each change). */
  readonly installed: string | null
  /** When the installed version was last read (ISO 8601). */
  readonly checkedAt: string | null
  /** A child serves another version than the installed one. */
  readonly pending: boolean
  /** While pending: clients connected to the app-server socket now (kernel socket table); else null, and null where it cannot be read. */
  readonly clients: number | null
  /** Why the installed executable cannot be read now (missing, not runnable, no version): one line; null while it can. */
  readonly problem: string | null
}

/** The exit code of `codexd status` for a report: 0 running, 3 not running, 4 unreachable or not serving. */
export function statusExitCode(report: StatusReport): 0 | 3 | 4 {
  if (report.state === 'running') return 0
  if (report.state === 'not-running') return 3
  return 4
}
