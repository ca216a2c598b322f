import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {usageError} from '../../ground/errors/codexd-error.js'

/** The login-service managers codexd writes files for. */
export type ServiceManager = 'systemd' | 'launchd'

/** The manager of a platform: systemd user units on Linux, launchd agents on macOS. */
export function managerFor(platform: string): ServiceManager {
  if (platform === 'linux') return 'systemd'
  if (platform === 'darwin') return 'launchd'
  throw new CodexdError('service-unsupported', `codexd service supports linux (systemd) and darwin (launchd), not ${platform}: run \`codexd run\` under your platform's service manager`, ExitCode.Usage)
}

/** Parses `--platform linux|darwin` (default: this machine's platform). */
export function parsePlatform(flag: string | undefined): string {
  const platform = flag ?? process.platform
  if (flag !== undefined && flag !== 'linux' && flag !== 'darwin') throw usageError(`--platform ${flag}: use linux or darwin`)
  return platform
}
