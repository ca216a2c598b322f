import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'

/** `--force` widens `--takeover` only: alone it is refused rather than ignored. */
export function refuseForceWithoutTakeover(options: {readonly takeover?: boolean; readonly force?: boolean}): void {
  if (options.force && !options.takeover) throw new CodexdError('usage', '--force applies to --takeover only: use --takeover --force', ExitCode.Usage)
}
