import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import type {HomePaths} from '../../ground/home/codex-home.js'

/** True when `CODEXD_NO_SPAWN=1` forbids codexd to start any process. */
export function spawningForbidden(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CODEXD_NO_SPAWN === '1'
}

/**
 * The --autostart step, run when the app-server socket did not answer: the same ensure path as
 * `codexd start` (one supervisor whatever the number of concurrent callers), bounded by the
 * proxy's remaining wait. Under `CODEXD_NO_SPAWN=1` it starts nothing and fails at once.
 */
export async function autostart(paths: HomePaths, options: {server?: string; remainingMs: number; progress: (line: string) => void; env?: NodeJS.ProcessEnv}): Promise<void> {
  if (spawningForbidden(options.env)) {
    throw new CodexdError('proxy-no-spawn', `nothing answers at ${paths.appServerSocket} and CODEXD_NO_SPAWN=1 forbids --autostart to start the supervisor: unset CODEXD_NO_SPAWN, or start it first with codexd start`, ExitCode.ProxyFailed)
  }
  const {ensureSupervisor} = await import('../ensure/ensure-supervisor.js')
  await ensureSupervisor(paths, {
    server: options.server,
    timeoutMs: Math.max(1000, options.remainingMs),
    onProgress: (message) => options.progress(`codexd proxy: ${message}`),
  })
}
