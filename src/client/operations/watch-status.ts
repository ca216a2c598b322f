import {clearScreenDown, moveCursor} from 'node:readline'
import {setTimeout as sleep} from 'node:timers/promises'
import type {HomePaths} from '../../ground/home/codex-home.js'
import type {StatusReport} from '../../ground/protocol/status-report.js'
import {formatStatus} from './format-status.js'
import {queryStatus} from './status-query.js'
import {styleFor} from '../status-view/style.js'
import {formatListenerOwner, withListenerOwner} from '../takeover/owner-status.js'

export interface WatchOptions {
  readonly json: boolean
  readonly timeoutMs: number
  readonly intervalMs: number
  /** Ends the watch (Ctrl-C). */
  readonly signal: AbortSignal
  readonly out?: NodeJS.WriteStream
}

/**
 * `codexd status --watch`: asks for the status every `intervalMs` until `signal` aborts. On a
 * terminal the table is redrawn in place; otherwise (and with `--json`, one JSON document per
 * line) a new report is printed only when something other than the clocks changed.
 */
export async function watchStatus(paths: HomePaths, options: WatchOptions): Promise<void> {
  const out = options.out ?? process.stdout
  const redraw = out.isTTY === true && !options.json
  const style = styleFor(out)
  let drawnLines = 0
  let lastKey: string | undefined
  while (!options.signal.aborted) {
    // The same report as plain `status`: who else serves the socket when codexd's child does not.
    const report = await withListenerOwner(paths, await queryStatus(paths, options.timeoutMs))
    if (redraw) {
      const text = `${style.dim(`codexd status --watch: every ${options.intervalMs} ms, Ctrl-C to quit`)}\n\n${formatStatus(report, style)}${formatListenerOwner(report)}`
      if (drawnLines > 0) {
        moveCursor(out, 0, -drawnLines)
        clearScreenDown(out)
      }
      out.write(text)
      drawnLines = text.split('\n').length - 1
    } else {
      const key = JSON.stringify(withoutClocks(report))
      if (key !== lastKey) {
        lastKey = key
        out.write(options.json ? `${JSON.stringify(report)}\n` : `${formatStatus(report, style)}${formatListenerOwner(report)}\n`)
      }
    }
    await sleep(options.intervalMs, undefined, {signal: options.signal}).catch(() => {})
  }
}

/** The report without what changes on every ask (uptimes, "since now" stamps): what counts as a change. */
function withoutClocks(report: StatusReport): unknown {
  return {
    ...report,
    supervisor: report.supervisor && {...report.supervisor, uptimeMs: 0},
    child: report.child && {...report.child, uptimeMs: 0},
    unmanagedListener: report.unmanagedListener && {...report.unmanagedListener, since: ''},
    events: report.events.map((event) => ('id' in event && event.id !== null ? event : {...event, at: ''})),
  }
}
