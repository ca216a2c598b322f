import {CODEXD_VERSION} from '../../ground/product.js'
import {GENERATED_MARKER} from '../install/generated-file.js'
import type {ServiceSpec} from './service-spec.js'

/** systemd expands `%` specifiers everywhere; `%%` is a literal percent. */
function escapeSpecifiers(value: string): string {
  return value.replace(/%/g, '%%')
}

/** Backslash and double quote escaped for a double-quoted systemd word. */
function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/** One ExecStart argument: `$` and `%` escaped (both are expanded there), quoted when needed. */
export function execWord(value: string): string {
  const escaped = escapeSpecifiers(value).replace(/\$/g, '$$$$')
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(escaped) ? escaped : quoted(escaped)
}

/** One `Environment=` assignment, always quoted (no `$` expansion happens there). */
export function environmentLine(name: string, value: string): string {
  return `Environment=${quoted(`${name}=${escapeSpecifiers(value)}`)}`
}

/** The header every generated unit file starts with: the marker and how to change the unit. */
export function unitHeader(editName: string): string {
  return `# ${GENERATED_MARKER}: written by \`codexd service install\` (codexd ${CODEXD_VERSION}).
# codexd rewrites and removes this file (codexd service install|uninstall) and never touches a unit
# without this line. For local changes use a drop-in: systemctl --user edit ${editName}
`
}

/** `ExecStart=` running `codexd run` (and its flags) with the absolute node and codexd (no PATH lookup). */
export function execStartLine(spec: ServiceSpec): string {
  return `ExecStart=${[spec.launcher.node, spec.launcher.entry, 'run', ...spec.runArgs].map(execWord).join(' ')}`
}

/** The [Service] settings every codexd unit shares after its environment (restart, stop). */
export const SERVICE_POLICY = `Restart=on-failure
RestartSec=2
# Exit 6: another codexd supervisor already serves this CODEX_HOME; restarting cannot help.
RestartPreventExitStatus=6 7
KillMode=mixed
TimeoutStopSec=20

[Install]
WantedBy=default.target
`

/**
 * The systemd user unit that runs `codexd run` (the supervisor in the foreground) at login.
 * SIGTERM goes to codexd only (KillMode=mixed): it stops its app-server's process group
 * itself; whatever is left gets SIGKILL after TimeoutStopSec.
 */
export function renderSystemdUnit(spec: ServiceSpec): string {
  return `${unitHeader(spec.identity.unitName)}[Unit]
Description=codexd: Codex app-server supervisor for ${escapeSpecifiers(spec.home)}

[Service]
Type=simple
${spec.environment.map(([name, value]) => environmentLine(name, value)).join('\n')}
${execStartLine(spec)}
${SERVICE_POLICY}`
}
