/**
 * Exit codes of every codexd command. Documented in docs/exit-codes.md; keep the two in sync.
 */
export const ExitCode = {
  /** Success (including "already running" for start and "already stopped" for stop). */
  Ok: 0,
  /** Unexpected internal error: a bug, please report it. */
  Internal: 1,
  /** `doctor`: at least one check failed (with --strict: or warned). Only doctor exits 1 on purpose. */
  ProblemsFound: 1,
  /** Bad flags, arguments or URLs. */
  Usage: 2,
  /** `status`: nothing is running for this CODEX_HOME. */
  NotRunning: 3,
  /** `status`: something holds the control socket but does not answer (wedged or unreachable). */
  Unreachable: 4,
  /** A startup lock could not be taken within its timeout. */
  LockTimeout: 5,
  /**
   * A server serves the home's app-server socket, but not codexd: a duplicate launch; `status`,
   * `start`, `restart` and `proxy --autostart` when another owner (codex's managed daemon, a
   * server started by hand, a codexd orphan) serves it, and a `--takeover` refused
   * (docs/codex-daemon.md).
   */
  AlreadyInUse: 6,
  /** A path is unusable: not a socket, unsafe permissions, wrong owner, missing CODEX_HOME. */
  BadPath: 7,
  /** The app-server child could not be started or crash-looped. */
  ChildFailed: 8,
  /** A state database could not be opened, migrated or repaired. */
  StateError: 9,
  /** The proxy lost or could not reach the server. */
  ProxyFailed: 10,
  /** `service`: the service manager (systemctl --user, launchctl) failed a step after the first. */
  ServiceFailed: 11,
  /** `smoke`: at least one scenario failed or was skipped. */
  SmokeFailed: 12,
  /** The output could not be written (stdout on a full disk, an I/O error): bin/run.cjs says so in one line. */
  OutputFailed: 13,
  /** Interrupted by Ctrl-C (SIGINT) or SIGTERM after cleaning up (128 + SIGINT, as shells report it). */
  Interrupted: 130,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]
