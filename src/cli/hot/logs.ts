import {followLog, readLog} from '../../client/logs/log-follow.js'
import {homePaths, resolveCodexHome} from '../../ground/home/codex-home.js'

export interface LogsOptions {
  readonly follow: boolean
  readonly lines: number
  readonly events: boolean
  readonly json: boolean
}

/** `codexd logs`: the tail of the supervisor log (and what is appended, with --follow), or its events. */
export async function runLogs(options: LogsOptions): Promise<number> {
  const paths = homePaths(resolveCodexHome())
  // Loaded only here: the events need sqlite3, the log does not.
  const {printEvents, refuseJsonWithoutEvents} = await import('../../client/logs/print-events.js')
  if (options.events) {
    await printEvents(paths, {lines: options.lines, json: options.json, follow: options.follow})
    return 0
  }
  refuseJsonWithoutEvents(options.json)
  process.stdout.write(readLog(paths.supervisorLog, options.lines))
  if (!options.follow) return 0
  const {untilInterrupted} = await import('../../client/logs/until-interrupted.js')
  await untilInterrupted((signal) => followLog(paths.supervisorLog, (text) => process.stdout.write(text), signal))
  return 0
}
