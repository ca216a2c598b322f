import type {WriteOutcome} from '../install/generated-file.js'
import type {ServiceSpec} from './service-spec.js'

/** One service-manager invocation; `mayFail` for steps whose failure is expected (nothing loaded). */
export interface ManagerCommand {
  readonly argv: readonly string[]
  readonly mayFail?: boolean
}

/** The manager's executable (the `CODEXD_SYSTEMCTL` / `CODEXD_LAUNCHCTL` override, else on PATH). */
export function managerBinary(spec: Pick<ServiceSpec, 'manager'>, env: NodeJS.ProcessEnv = process.env): string {
  return spec.manager === 'systemd' ? env.CODEXD_SYSTEMCTL || 'systemctl' : env.CODEXD_LAUNCHCTL || 'launchctl'
}

function launchdDomain(): string {
  return `gui/${process.getuid?.() ?? 501}`
}

/**
 * What makes an installed file take effect. systemd: reload, enable and start (and restart a
 * running service when its unit changed: every running instance when the shared template
 * changed). launchd: enable, reload when the plist changed, load.
 */
export function enableCommands(spec: ServiceSpec, outcome: WriteOutcome, templateOutcome?: WriteOutcome): ManagerCommand[] {
  const {unitName, label} = spec.identity
  if (spec.manager === 'systemd') {
    const commands: ManagerCommand[] = [{argv: ['systemctl', '--user', 'daemon-reload']}, {argv: ['systemctl', '--user', 'enable', '--now', unitName]}]
    if (templateOutcome === 'updated') commands.push({argv: ['systemctl', '--user', 'try-restart', 'codexd@*.service']})
    else if (outcome === 'updated') commands.push({argv: ['systemctl', '--user', 'try-restart', unitName]})
    return commands
  }
  const target = `${launchdDomain()}/${label}`
  const commands: ManagerCommand[] = [{argv: ['launchctl', 'enable', target]}]
  if (outcome === 'updated') commands.push({argv: ['launchctl', 'bootout', target], mayFail: true})
  // Unchanged and already loaded: bootstrap says so and fails; that is the state we want.
  commands.push({argv: ['launchctl', 'bootstrap', launchdDomain(), spec.path], mayFail: outcome === 'unchanged'})
  return commands
}

/** What stops and unregisters the service before its file is removed. */
export function disableCommands(spec: ServiceSpec): ManagerCommand[] {
  if (spec.manager === 'systemd') return [{argv: ['systemctl', '--user', 'disable', '--now', spec.identity.unitName]}]
  return [{argv: ['launchctl', 'bootout', `${launchdDomain()}/${spec.identity.label}`], mayFail: true}]
}

/** What stops a service whose file is already gone (systemd forgets it on reload). */
export function stopCommands(spec: ServiceSpec): ManagerCommand[] {
  if (spec.manager === 'systemd') return [{argv: ['systemctl', '--user', 'stop', spec.identity.unitName]}, ...afterRemoveCommands(spec)]
  return disableCommands(spec)
}

/** What runs after the file is removed (systemd forgets the unit). */
export function afterRemoveCommands(spec: ServiceSpec): ManagerCommand[] {
  return spec.manager === 'systemd' ? [{argv: ['systemctl', '--user', 'daemon-reload']}] : []
}

/** Commands as a user would type them, joined with `&&`. */
export function commandLine(commands: readonly ManagerCommand[]): string {
  return commands.map((command) => command.argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ')).join(' && ')
}
