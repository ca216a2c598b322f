import {spawnSync} from 'node:child_process'
import {queryStatus} from '../operations/status-query.js'
import type {StatusReport} from '../../ground/protocol/status-report.js'
import {homePaths} from '../../ground/home/codex-home.js'
import {managerBinary} from './manager-commands.js'
import {serviceFileState, serviceName, type FileState} from './render.js'
import type {ServiceSpec} from './service-spec.js'

/** `codexd service status --json`. */
export interface ServiceStatus {
  readonly manager: ServiceSpec['manager']
  readonly name: string
  readonly home: string
  readonly path: string
  /** absent; current (what install writes now); outdated (ours, but install would rewrite it); foreign (not ours). */
  readonly file: FileState
  /** What the manager says (systemd: is-enabled / is-active; launchd: loaded or not), or why it cannot be asked. */
  readonly managerState: string
  /** The supervisor of this CODEX_HOME, from `codexd status` (running, not-running, ...). */
  readonly supervisor: StatusReport['state']
  readonly supervisorPid: number | null
}

function ask(binary: string, args: string[], env: NodeJS.ProcessEnv): {ok: boolean; out: string} {
  const result = spawnSync(binary, args, {encoding: 'utf8', timeout: 30_000, env})
  if (result.error) return {ok: false, out: `${binary} cannot be run (${(result.error as NodeJS.ErrnoException).code ?? result.error.message})`}
  return {ok: result.status === 0, out: (result.stdout.trim() || result.stderr.trim()).split('\n')[0] ?? ''}
}

function managerState(spec: ServiceSpec, platform: string, env: NodeJS.ProcessEnv): string {
  if (platform !== process.platform) return `unknown: this is ${process.platform}, the service is for ${platform}`
  const binary = managerBinary(spec, env)
  if (spec.manager === 'systemd') {
    const enabled = ask(binary, ['--user', 'is-enabled', spec.identity.unitName], env)
    const active = ask(binary, ['--user', 'is-active', spec.identity.unitName], env)
    // Both answer one word ("enabled", "active", ...); anything else is an error such as no
    // session bus (is-enabled can read unit files without the manager, is-active cannot).
    const word = (answer: {out: string}, what: string) => (/^[a-z-]+$/.test(answer.out) ? answer.out : `${what} unknown (${answer.out || 'no answer'})`)
    return `${word(enabled, 'enablement')}, ${word(active, 'activity')}`
  }
  const loaded = ask(binary, ['print', `gui/${process.getuid?.() ?? 501}/${spec.identity.label}`], env)
  return loaded.ok ? 'loaded' : 'not loaded'
}

/** Reports whether the service file is installed and current, what the manager says, and the supervisor's state. */
export async function serviceStatus(spec: ServiceSpec, {platform, env = process.env}: {platform: string; env?: NodeJS.ProcessEnv}): Promise<ServiceStatus> {
  const file = serviceFileState(spec)
  const report = await queryStatus(homePaths(spec.home), 2000)
  return {
    manager: spec.manager,
    name: serviceName(spec),
    home: spec.home,
    path: spec.path,
    file,
    managerState: file === 'absent' || file === 'foreign' ? 'not installed' : managerState(spec, platform, env),
    supervisor: report.state,
    supervisorPid: report.supervisor?.pid ?? null,
  }
}

/** Exit code of `codexd service status`: 0 installed (current or outdated), 3 not installed (absent or a foreign file). */
export function serviceStatusExitCode(status: ServiceStatus): 0 | 3 {
  return status.file === 'current' || status.file === 'outdated' ? 0 : 3
}
