import {followLog, readLog} from '../../client/logs/log-follow.js'
import {homePaths, resolveCodexHome} from '../../shared/home/codex-home.js'

export interface LogsOptions {
  readonly follow: boolean
  readonly lines: number
  readonly events: boolean
  readonly json: boolean
}

/** `codexd logs`: the tail of the supervisor log (and what is appended, with --follow), or its events. */
export async function runLogs(options: LogsOptions): Promise<number> {
  const paths = homePaths(resolveCodexHome())
  if (options.events) {
    // Loaded only here: the events need sqlite3, the log does not.
    const {listEvents} = await import('../../client/logs/list-events.js')
    for (const event of await listEvents(paths, options.lines === 0 ? 1_000_000 : options.lines)) {
      process.stdout.write(options.json ? `${JSON.stringify(event)}\n` : `${event.at}  ${event.kind.padEnd(20)} ${event.message}\n`)
    }
    return 0
  }
  process.stdout.write(readLog(paths.supervisorLog, options.lines))
  if (!options.follow) return 0
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  await followLog(paths.supervisorLog, (text) => process.stdout.write(text), controller.signal)
  return 0
}
