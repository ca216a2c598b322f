import type {HomePaths} from '../../ground/home/codex-home.js'
import type {EnsureResult} from './ensure-supervisor.js'

/** The human line `codexd start` prints. */
export function describeStart(paths: HomePaths, result: EnsureResult): string {
  return result.alreadyRunning
    ? `codexd is already running for ${paths.home} (supervisor pid ${result.supervisorPid}); app-server ready on ${result.appServerSocket}`
    : `started codexd for ${paths.home} (supervisor pid ${result.supervisorPid}); app-server ready on ${result.appServerSocket}`
}
