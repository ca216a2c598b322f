import {describeStop, stopSupervisor} from '../../client/operations/stop-supervisor.js'
import {homePaths, resolveCodexHome} from '../../ground/home/codex-home.js'

export interface StopOptions {
  readonly grace: number
  readonly json: boolean
}

/** `codexd stop`: stops the supervisor and its app-server, says which step ended it. */
export async function runStop(options: StopOptions): Promise<number> {
  const result = await stopSupervisor(homePaths(resolveCodexHome()), options.grace)
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${describeStop(result)}\n`)
  return 0
}
