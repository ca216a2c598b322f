import {CodexdError} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import type {HomePaths} from '../home/codex-home.js'
import {identifyListenerOwner} from './listener-owner.js'
import {ownerLine} from './owner-advice.js'

/**
 * The error `start`, `restart` and `proxy --autostart` end with when another process serves the
 * home's app-server socket: one line naming the owner, its pid and version, and what to run
 * (exit 6, docs/exit-codes.md). `detail` is the supervisor's note, used when the owner is gone
 * or cannot be identified.
 */
export async function unmanagedListenerError(paths: HomePaths, detail?: string): Promise<CodexdError> {
  const owner = await identifyListenerOwner(paths).catch(() => undefined)
  const message = owner && owner.kind !== 'codexd'
    ? ownerLine(owner, paths)
    : `another process serves the app-server socket at ${paths.appServerSocket}${detail ? ` (${detail})` : ''}: stop it, then run codexd start`
  return new CodexdError('unmanaged-listener', message, ExitCode.AlreadyInUse)
}
