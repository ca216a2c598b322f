import {formatStatus} from '../../client/operations/format-status.js'
import {queryStatus} from '../../client/operations/status-query.js'
import {statusExitCode} from '../../shared/protocol/status-report.js'
import {homePaths, resolveCodexHome} from '../../shared/home/codex-home.js'
// codex-daemon (issue 10): who else serves the socket
import {formatListenerOwner, listenerOwnerExitCode, withListenerOwner} from '../../client/takeover/owner-status.js'

export interface StatusOptions {
  readonly json: boolean
  readonly timeoutMs: number
}

/**
 * `codexd status`: prints the report (a table, or JSON) and returns the exit code. Shared by the
 * oclif command and the fast path, so both behave the same; loads neither oclif nor sqlite3
 * while a supervisor answers.
 */
export async function runStatus(options: StatusOptions): Promise<number> {
  const paths = homePaths(resolveCodexHome())
  const report = await withListenerOwner(paths, await queryStatus(paths, options.timeoutMs))
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report) + formatListenerOwner(report))
  return listenerOwnerExitCode(report) ?? statusExitCode(report)
}
