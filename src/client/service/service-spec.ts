import {dirname, join} from 'node:path'
import {usageError} from '../../ground/errors/codexd-error.js'
import {resolveCodexHome} from '../../ground/home/codex-home.js'
import {currentLauncher, type Launcher} from '../install/launcher.js'
import {managerFor, type ServiceManager} from './platform.js'
import {serviceIdentity, type ServiceIdentity} from './service-identity.js'
import {userHome, xdgConfigHome} from '../install/user-dirs.js'
import {ON_UPGRADE} from '../../ground/children/upgrade-policy.js'
import {INSTANCE_DROP_IN, TEMPLATE_UNIT, templateInstanceName} from './systemd-escape.js'

/** Everything a service file says: which codexd runs, for which home, with which environment. */
export interface ServiceSpec {
  readonly manager: ServiceManager
  readonly identity: ServiceIdentity
  /** Where the unit or plist goes; for a template instance, the instance's drop-in. */
  readonly path: string
  /** The CODEX_HOME the service supervises (absolute). */
  readonly home: string
  readonly launcher: Launcher
  /** Environment the service runs with: CODEX_HOME, PATH (so `auto` finds codex), CODEXD_SERVER when chosen. */
  readonly environment: ReadonlyArray<readonly [string, string]>
  /** The arguments after `codexd run` (`--on-upgrade X` when chosen). */
  readonly runArgs: readonly string[]
  /** systemd, `--home`: the home runs as an instance of the shared template `codexd@.service`. */
  readonly template?: {readonly path: string}
}

/** Where the service file of `identity` lives for `manager`, under the user's (XDG) directories. */
export function serviceFilePath(manager: ServiceManager, identity: ServiceIdentity, env: NodeJS.ProcessEnv = process.env): string {
  return manager === 'systemd'
    ? join(xdgConfigHome(env), 'systemd', 'user', identity.unitName)
    : join(userHome(env), 'Library', 'LaunchAgents', `${identity.label}.plist`)
}

/**
 * The service for a home (`--home`, else CODEX_HOME), resolved now: this node and codexd
 * (absolute paths), the PATH of the installing shell, and the server choice (`--server`, else
 * $CODEXD_SERVER). On systemd, `--home` selects the template instance `codexd@<home>.service`;
 * without it the home keeps its own unit (codexd.service, codexd-<hash>.service).
 */
export function buildServiceSpec(platform: string, server: string | undefined, env: NodeJS.ProcessEnv = process.env, homeFlag?: string, onUpgrade?: string): ServiceSpec {
  const manager = managerFor(platform)
  const home = resolveCodexHome(homeFlag === undefined ? env : {...env, CODEX_HOME: homeFlag})
  const chosen = server ?? env.CODEXD_SERVER
  const environment: Array<[string, string]> = [['CODEX_HOME', home], ['PATH', env.PATH ?? '/usr/local/bin:/usr/bin:/bin']]
  if (chosen) environment.push(['CODEXD_SERVER', chosen])
  for (const [name, value] of environment) {
    if (/[\n\r\0]/.test(value)) throw usageError(`${name} ${JSON.stringify(value)} contains a newline or NUL, which a service file cannot hold: fix ${name} and run again`)
  }
  const instance = manager === 'systemd' && homeFlag !== undefined
  const policy = upgradePolicy(onUpgrade, env)
  // A template instance shares the template's ExecStart: its policy goes into its own drop-in.
  if (policy !== undefined && instance) environment.push([ON_UPGRADE.env, policy])
  const runArgs = policy !== undefined && !instance ? ['--on-upgrade', policy] : []
  const common = {manager, home, launcher: currentLauncher(), environment, runArgs}
  if (instance) {
    const identity = {unitName: templateInstanceName(home), label: ''}
    const template = serviceFilePath(manager, {unitName: TEMPLATE_UNIT, label: ''}, env)
    return {...common, identity, path: join(dirname(template), `${identity.unitName}.d`, INSTANCE_DROP_IN), template: {path: template}}
  }
  const identity = serviceIdentity(home, env)
  return {...common, identity, path: serviceFilePath(manager, identity, env)}
}

/** `--on-upgrade` (checked by the flag parser), else $CODEXD_ON_UPGRADE when it is one of the policies; undefined: the supervisor's default. */
function upgradePolicy(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const chosen = flag ?? env[ON_UPGRADE.env]
  if (chosen === undefined || chosen === '') return undefined
  if (!ON_UPGRADE.options.includes(chosen as (typeof ON_UPGRADE.options)[number])) throw usageError(`${ON_UPGRADE.env}=${chosen} is not one of ${ON_UPGRADE.options.join(', ')}: fix or unset it and run again`)
  return chosen
}
