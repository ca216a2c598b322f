import type {Style} from '../status-view/style.js'
import {toneOf} from '../status-view/style.js'
import {duration} from '../status-view/display-state.js'
import type {HomeSummary} from './list-homes.js'

/** The human `codexd list`: one aligned row per home, the state coloured on a TTY. */
export function formatList(homes: readonly HomeSummary[], style: Style): string {
  if (homes.length === 0) return 'no codexd supervisor has started for this user yet (a home is listed once codexd start or codexd run ran there)\n'
  const header = ['STATE', 'HOME', 'CHILD', 'PIDS', 'UPTIME', 'RESTARTS', 'LAST EXIT']
  const rows = homes.map((home) => [
    home.state,
    home.home,
    [home.childKind, home.childVersion].filter(Boolean).join(' ') || '-',
    home.supervisorPid === null ? '-' : `${home.supervisorPid}/${home.childPid ?? '-'}`,
    home.uptimeMs === null ? '-' : duration(home.uptimeMs),
    String(home.restarts),
    lastExit(home),
  ])
  const widths = header.map((name, column) => Math.max(name.length, ...rows.map((row) => row[column].length)))
  // The symbol a styled state carries is two columns wide: the header pads for it.
  const stateExtra = style.enabled ? 2 : 0
  const line = (cells: string[], first: string, firstWidth: number) =>
    [first + ' '.repeat(Math.max(0, widths[0] + stateExtra - firstWidth)), ...cells.slice(1).map((cell, index) => cell.padEnd(widths[index + 1]))].join('  ').trimEnd()
  const lines = [line(header, style.dim(header[0]), header[0].length)]
  homes.forEach((home, index) => lines.push(line(rows[index], style.state(home.state, toneOf(home.state)), home.state.length + stateExtra)))
  for (const home of homes) if (home.state === 'error' && home.message) lines.push(`${home.home}: ${home.message}`)
  return `${lines.join('\n')}\n`
}

function lastExit(home: HomeSummary): string {
  const exit = home.lastExit
  if (!exit) return '-'
  return `${exit.signal ? exit.signal : `code ${exit.code}`} at ${exit.at}`
}
