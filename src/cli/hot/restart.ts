import {isatty} from 'node:tty'
import {refuseForceWithoutTakeover} from './takeover-flags.js'
import {restartSupervisor} from '../../client/operations/restart-supervisor.js'
import {homePaths, resolveCodexHome} from '../../ground/home/codex-home.js'

export interface RestartOptions {
  readonly server: string | undefined
  readonly grace: number
  readonly timeout: number
  readonly json: boolean
  readonly takeover?: boolean
  readonly force?: boolean
}

const SAYS = {child: 'restarted the app-server', supervisor: 'restarted the supervisor and its app-server', started: 'nothing was running; started codexd'} as const

/** `codexd restart`: a new child (or supervisor, with --server), once it answered initialize. */
export async function runRestart(options: RestartOptions): Promise<number> {
  refuseForceWithoutTakeover(options)
  if (options.takeover) {
    const {runTakeover, servedByAnother} = await import('../../client/takeover/run-takeover.js')
    if (await servedByAnother()) {
      await runTakeover({json: options.json, server: options.server, timeoutMs: options.timeout, force: options.force === true, graceMs: options.grace})
      return 0
    }
  }
  const result = await restartSupervisor(homePaths(resolveCodexHome()), {
    server: options.server,
    graceMs: options.grace,
    timeoutMs: options.timeout,
    onProgress: isatty(2) && !options.json ? (message) => process.stderr.write(`codexd: ${message}\n`) : undefined,
  })
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${SAYS[result.restarted]} for ${result.home} (supervisor pid ${result.supervisorPid}, app-server pid ${result.childPid ?? '?'})\n`)
  return 0
}
