import {isatty} from 'node:tty'
import {refuseForceWithoutTakeover} from './takeover-flags.js'
import {ON_UPGRADE} from '../../ground/children/upgrade-policy.js'
import {ensureSupervisor} from '../../client/ensure/ensure-supervisor.js'
import {describeStart} from '../../client/ensure/start-output.js'
import {homePaths, resolveCodexHome} from '../../ground/home/codex-home.js'
import {warnIfOtherUpgradePolicy} from './on-upgrade-warning.js'

export interface StartOptions {
  readonly json: boolean
  readonly server: string | undefined
  readonly timeout: number
  readonly takeover?: boolean
  readonly force?: boolean
  /** --on-upgrade: handed to a supervisor this start spawns through $CODEXD_ON_UPGRADE, like every supervisor setting. */
  readonly 'on-upgrade'?: string
}

/**
 * `codexd start`: the ensure path, then one line (or JSON) saying what happened. Shared by the
 * oclif command and the fast path. Progress goes to stderr on a terminal only.
 */
export async function runStart(options: StartOptions): Promise<number> {
  refuseForceWithoutTakeover(options)
  if (options['on-upgrade'] !== undefined) process.env[ON_UPGRADE.env] = options['on-upgrade']
  if (options.takeover) {
    const {runTakeover} = await import('../../client/takeover/run-takeover.js')
    await runTakeover({json: options.json, server: options.server, timeoutMs: options.timeout, force: options.force === true})
    return 0
  }
  const paths = homePaths(resolveCodexHome())
  const result = await ensureSupervisor(paths, {
    server: options.server,
    timeoutMs: options.timeout,
    // isatty(2) rather than process.stderr.isTTY: building the stream object costs ~1 ms per start.
    onProgress: isatty(2) && !options.json ? (message) => process.stderr.write(`codexd: ${message}\n`) : undefined,
  })
  if (result.alreadyRunning && options['on-upgrade'] !== undefined) await warnIfOtherUpgradePolicy(paths, options['on-upgrade'])
  process.stdout.write(options.json ? `${JSON.stringify({home: paths.home, ...result})}\n` : `${describeStart(paths, result)}\n`)
  return 0
}

