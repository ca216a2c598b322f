import {formatStatus} from '../../client/operations/format-status.js'
import {queryStatus} from '../../client/operations/status-query.js'
import {statusExitCode} from '../../ground/protocol/status-report.js'
import {homePaths, resolveCodexHome} from '../../ground/home/codex-home.js'
// codex-daemon (issue 10): who else serves the socket
import {formatListenerOwner, listenerOwnerExitCode, withListenerOwner} from '../../client/takeover/owner-status.js'

export interface StatusOptions {
  readonly json: boolean
  readonly timeout: number
  readonly watch?: boolean
  readonly interval?: number
}

/**
 * `codexd status`: prints the report (a table, or JSON) and returns the exit code. Shared by the
 * oclif command and the fast path, so both behave the same; loads neither oclif nor sqlite3
 * while a supervisor answers.
 */
export async function runStatus(options: StatusOptions): Promise<number> {
  if (options.watch || options.interval !== undefined) {
    const {refuseIntervalWithoutWatch, runStatusWatch} = await import('../../client/operations/run-status-watch.js')
    refuseIntervalWithoutWatch(options.watch ?? false, options.interval)
    await runStatusWatch({json: options.json, timeoutMs: options.timeout, intervalMs: options.interval ?? 1000})
    return 0
  }
  const paths = homePaths(resolveCodexHome())
  const report = await withListenerOwner(paths, await queryStatus(paths, options.timeout))
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}
` : formatStatus(report) + formatListenerOwner(report))
  return listenerOwnerExitCode(report) ?? statusExitCode(report)
}
