import {createHash} from 'node:crypto'
import {join, resolve} from 'node:path'
import {userHome} from '../install/user-dirs.js'

/** The names one CODEX_HOME's service goes by. */
export interface ServiceIdentity {
  /** systemd unit file name, e.g. `codexd.service`. */
  readonly unitName: string
  /** launchd label, e.g. `dev.codexd.supervisor`. */
  readonly label: string
}

/**
 * Names the service of `home`. The default home (`~/.codex`) gets the plain names; any other
 * home gets a suffix from a hash of its path, so two homes have two services and installing
 * one never rewrites the other.
 */
export function serviceIdentity(home: string, env: NodeJS.ProcessEnv = process.env): ServiceIdentity {
  if (resolve(home) === join(userHome(env), '.codex')) return {unitName: 'codexd.service', label: 'dev.codexd.supervisor'}
  const suffix = createHash('sha256').update(resolve(home)).digest('hex').slice(0, 8)
  return {unitName: `codexd-${suffix}.service`, label: `dev.codexd.supervisor.${suffix}`}
}
