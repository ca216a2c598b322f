import type {InstallResult} from './install.js'
import type {ManagerReport} from './run-manager.js'
import type {ServiceStatus} from './status.js'
import type {UninstallResult} from './uninstall.js'

function managerLines(run: ManagerReport, manager: InstallResult['manager']): string[] {
  if (run.kind === 'ran') return run.commands.map((command) => `ran: ${command}`)
  if (run.kind === 'skipped') return []
  if (run.kind === 'dry-run') return [`would run: ${run.manual}`]
  const who = manager === 'systemd' ? 'the systemd user manager' : 'launchd'
  return [`${who} cannot be reached (${run.reason}); to apply it, run:`, `  ${run.manual}`]
}

function written(outcome: InstallResult['outcome']): string {
  return outcome === 'unchanged' ? 'up to date' : outcome
}

/** Human output of `codexd service install`. */
export function describeInstall(result: InstallResult): string {
  const lines: string[] = []
  if (result.dryRun) {
    lines.push(`would write ${result.path} (${result.outcome === 'unchanged' ? 'already up to date' : result.outcome === 'created' ? 'new file' : 'update'}):`, '', result.content ?? '')
    if (result.template) lines.push(`and the shared template ${result.template.path} (${result.template.outcome === 'unchanged' ? 'already up to date' : result.template.outcome === 'created' ? 'new file' : 'update'}):`, '', result.template.content ?? '')
  } else {
    if (result.template) lines.push(`${written(result.template.outcome)}: ${result.template.path}`)
    lines.push(`${written(result.outcome)}: ${result.path}`)
  }
  lines.push(...managerLines(result.managerRun, result.manager))
  if (!result.dryRun && result.managerRun.kind === 'ran') lines.push(`${result.name} runs \`codexd run\` for CODEX_HOME=${result.home} at login; see codexd service status`)
  if (result.note) lines.push(result.note)
  return `${lines.join('\n')}\n`
}

/** Human output of `codexd service uninstall`. */
export function describeUninstall(result: UninstallResult): string {
  if (result.outcome === 'absent') return `not installed: nothing at ${result.path}\n`
  const lines = [result.dryRun ? `would remove ${result.path}` : `removed: ${result.path}`]
  if (result.template) lines.push(result.template.outcome === 'removed' ? `removed: ${result.template.path} (no other home runs from it)` : `kept: ${result.template.path} (other homes run from it)`)
  lines.push(...managerLines(result.managerRun, result.manager))
  return `${lines.join('\n')}\n`
}

/** Human output of `codexd service status`. */
export function describeServiceStatus(status: ServiceStatus): string {
  const file = {absent: 'not installed', current: 'installed, up to date', outdated: 'installed, outdated: run codexd service install to update it', foreign: 'not installed: a file codexd did not write is in the way'}[status.file]
  const rows = [
    ['service', `${status.name} (${status.manager})`],
    ['file', `${status.path}: ${file}`],
    ['manager', status.managerState],
    ['home', status.home],
    ['supervisor', status.supervisorPid === null ? status.supervisor : `${status.supervisor} (pid ${status.supervisorPid})`],
  ]
  return rows.map(([key, value]) => `${key.padEnd(11)}${value}`).join('\n') + '\n'
}
