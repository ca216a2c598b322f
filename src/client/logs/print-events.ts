import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import type {EventRow} from '../../ground/supervisor-state/store.js'
import {followEvents} from './follow-events.js'
import {listEvents} from './list-events.js'
import {untilInterrupted} from './until-interrupted.js'

/**
 * `codexd logs --events [-n N] [--json] [-f]`: the newest N recorded events (0: all), one line
 * each (`--json`: one object per line, schemas/logs-events.json); with `-f`, then each new one
 * until Ctrl-C or SIGTERM.
 */
export async function printEvents(paths: HomePaths, options: {readonly lines: number; readonly json: boolean; readonly follow: boolean}): Promise<void> {
  const write = (event: EventRow) => process.stdout.write(options.json ? `${JSON.stringify(event)}\n` : `${event.at}  ${event.kind.padEnd(20)} ${event.message}\n`)
  const shown = await listEvents(paths, options.lines === 0 ? 1_000_000 : options.lines)
  for (const event of shown) write(event)
  if (!options.follow) return
  // -n shows the newest events, so the last one shown is the newest recorded: follow from there.
  await untilInterrupted((signal) => followEvents(paths, shown.at(-1)?.id ?? 0, write, signal))
}

/** `logs --json` prints events only: without `--events` it is refused rather than ignored. */
export function refuseJsonWithoutEvents(json: boolean): void {
  if (json) throw new CodexdError('usage', '--json applies to recorded events only: use codexd logs --events --json (the log itself is plain text)', ExitCode.Usage)
}
