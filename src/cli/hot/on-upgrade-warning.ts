import {controlRequest} from '../../client/control/client.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import type {StatusReport} from '../../ground/protocol/status-report.js'

/**
 * `start --on-upgrade X` found a supervisor already running with another policy: the flag
 * applies only when a supervisor starts (like --server), so say so in one line on stderr and name
 * the commands that change it. Nothing is said when the running supervisor watches no codex
 * (`upgrade` null: the built-in or a command) or its status cannot be read.
 */
export async function warnIfOtherUpgradePolicy(paths: HomePaths, asked: string): Promise<void> {
  const report = (await controlRequest(paths, {type: 'status'}).catch(() => undefined)) as Pick<StatusReport, 'upgrade'> | undefined
  const running = report?.upgrade?.policy
  if (running === undefined || running === asked) return
  process.stderr.write(`codexd: warning: the supervisor for ${paths.home} already runs --on-upgrade ${running}, not ${asked}: --on-upgrade applies when the supervisor starts; to change it, run codexd stop, then codexd start --on-upgrade ${asked}\n`)
}
