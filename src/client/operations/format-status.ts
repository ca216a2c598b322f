import type {StatusReport} from '../../shared/protocol/status-report.js'

/** The human `codexd status` output: a short aligned table, then the recent events. */
export function formatStatus(report: StatusReport): string {
  const rows: [string, string][] = [['home', report.home], ['state', report.state]]
  if (report.message) rows.push(['note', report.message])
  if (report.supervisor) rows.push(['supervisor', `pid ${report.supervisor.pid}, up ${duration(report.supervisor.uptimeMs)}, server ${report.supervisor.server}`])
  if (report.child) {
    rows.push(['child', `${report.child.describe}`])
    rows.push(['child state', `${report.child.state}${report.child.pid === null ? '' : ` (pid ${report.child.pid})`}${report.child.uptimeMs === null ? '' : `, serving for ${duration(report.child.uptimeMs)}`}`])
    if (report.child.detail) rows.push(['detail', report.child.detail])
    rows.push(['socket', report.child.socket])
    rows.push(['restarts', String(report.restarts)])
  }
  if (report.unmanagedListener) rows.push(['unmanaged', report.unmanagedListener.note])
  if (report.lastExit) {
    const how = report.lastExit.signal ? `signal ${report.lastExit.signal}` : `code ${report.lastExit.code}`
    rows.push(['last exit', `${report.lastExit.at}: ${report.lastExit.kind} pid ${report.lastExit.pid ?? '?'} (${how}) ${report.lastExit.reason ?? ''}`.trim()])
  }
  const width = Math.max(...rows.map(([name]) => name.length))
  const lines = rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`)
  if (report.events.length > 0) {
    lines.push('', 'recent events:')
    for (const event of report.events) lines.push(`  ${event.at}  ${event.kind.padEnd(18)} ${event.message}`)
  }
  return `${lines.join('\n')}\n`
}

function duration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`
  const hours = Math.floor(minutes / 60)
  return `${hours}h${String(minutes % 60).padStart(2, '0')}m`
}
