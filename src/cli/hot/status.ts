import {formatStatus} from '../../control/format-status.js'
import {queryStatus} from '../../control/status-query.js'
import {statusExitCode} from '../../control/status-report.js'
import {homePaths, resolveCodexHome} from '../../home/codex-home.js'

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
  const report = await queryStatus(homePaths(resolveCodexHome()), options.timeoutMs)
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report))
  return statusExitCode(report)
}
