import {homePaths} from '../../ground/home/codex-home.js'
import type {StatusReport, UpgradeReport} from '../../ground/protocol/status-report.js'
import {displayState, duration} from '../status-view/display-state.js'
import {styleFor, toneOf, type Style} from '../status-view/style.js'
import {describeUsage, processUsage} from '../status-view/usage.js'

/**
 * The human `codexd status` output: a short aligned table (state coloured on a TTY, the log path,
 * the supervisor's and the child's memory and CPU from /proc), then the recent events.
 */
export function formatStatus(report: StatusReport, style: Style = styleFor(process.stdout)): string {
  const state = displayState(report)
  const rows: [string, string][] = [['home', report.home], ['state', style.state(state, toneOf(state))]]
  if (report.message) rows.push(['note', report.message])
  if (report.supervisor) {
    rows.push(['supervisor', `pid ${report.supervisor.pid}, up ${duration(report.supervisor.uptimeMs)}, server ${report.supervisor.server}`])
    const usage = describeUsage(processUsage(report.supervisor.pid))
    if (usage) rows.push(['  usage', usage])
  }
  if (report.child) {
    rows.push(['child', `${report.child.describe}`])
    rows.push(['child state', `${report.child.state}${report.child.pid === null ? '' : ` (pid ${report.child.pid})`}${report.child.uptimeMs === null ? '' : `, serving for ${duration(report.child.uptimeMs)}`}`])
    const usage = report.child.pid === null ? undefined : describeUsage(processUsage(report.child.pid))
    if (usage) rows.push(['  usage', usage])
    if (report.child.detail) rows.push(['detail', report.child.detail])
    if (report.upgrade) rows.push(['codex', describeUpgrade(report.upgrade)])
    rows.push(['socket', report.child.socket])
    rows.push(['restarts', String(report.restarts)])
  }
  rows.push(['log', report.supervisor?.log ?? homePaths(report.home).supervisorLog])
  if (report.unmanagedListener) rows.push(['unmanaged', report.unmanagedListener.note])
  if (report.lastExit) {
    const how = report.lastExit.signal ? `signal ${report.lastExit.signal}` : `code ${report.lastExit.code}`
    rows.push(['last exit', `${report.lastExit.at}: ${report.lastExit.kind} pid ${report.lastExit.pid ?? '?'} (${how}) ${report.lastExit.reason ?? ''}`.trim()])
  }
  const width = Math.max(...rows.map(([name]) => name.length))
  const lines = rows.map(([name, value]) => `${style.dim(name.padEnd(width))}  ${value}`)
  if (report.events.length > 0) {
    lines.push('', 'recent events:')
    for (const event of report.events) lines.push(`  ${style.dim(event.at)}  ${event.kind.padEnd(18)} ${event.message}`)
  }
  return `${lines.join('\n')}\n`
}

/** "running 0.169.0, installed 0.171.0 (upgrade pending: 1 client connected; ...)". */
export function describeUpgrade(upgrade: UpgradeReport): string {
  const versions = `running ${upgrade.running ?? 'none'}, installed ${upgrade.installed ?? 'unknown'}`
  if (upgrade.problem) return `${versions} (the installed codex cannot be run, the child keeps its version: ${upgrade.problem})`
  if (!upgrade.pending) return `${versions} (on-upgrade ${upgrade.policy})`
  if (upgrade.policy === 'notify') return `${versions} (upgrade pending: on-upgrade notify; codexd restart applies it)`
  const clients = upgrade.clients === null ? 'clients cannot be counted here' : `${upgrade.clients} client${upgrade.clients === 1 ? '' : 's'} connected`
  return `${versions} (upgrade pending: ${clients}; restarts when none is, codexd restart applies it now)`
}
