import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {homePaths, resolveCodexHome} from '../../ground/home/codex-home.js'
import {untilInterrupted} from '../logs/until-interrupted.js'
import {watchStatus} from './watch-status.js'

/** `codexd status --watch` for the current CODEX_HOME, until Ctrl-C or SIGTERM (then exit 0). */
export async function runStatusWatch(options: {readonly json: boolean; readonly timeoutMs: number; readonly intervalMs: number}): Promise<void> {
  const paths = homePaths(resolveCodexHome())
  await untilInterrupted((signal) => watchStatus(paths, {...options, signal}))
}

/** `--interval` paces `--watch` only: alone it is refused rather than ignored. */
export function refuseIntervalWithoutWatch(watch: boolean, interval: number | undefined): void {
  if (interval !== undefined && !watch) throw new CodexdError('usage', '--interval applies to --watch only: use codexd status --watch --interval MS', ExitCode.Usage)
}
