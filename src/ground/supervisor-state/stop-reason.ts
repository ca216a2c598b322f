/**
 * Why a supervisor shut down, as it records it (its run's `stop_reason`, its last child's exit
 * reason) and as clients read it back: a `start` or `restart` whose supervisor vanished under it
 * tells a concurrent `codexd stop` (retry: serialized after that stop) from a crash (fail).
 */

/** The reason a stop request on the control socket (`codexd stop`, `restart --server`) gives. */
export const STOP_REQUEST = 'codexd stop'

/** The recorded form of a shutdown for `reason` (`codexd stop`, `signal SIGINT`, ...). */
export function stoppedBy(reason: string): string {
  return `stopped by ${reason}`
}
