import {spawnSync} from 'node:child_process'
import {queryStatus} from '../operations/status-query.js'
import {homePaths} from '../../ground/home/codex-home.js'
import {managerBinary} from './manager-commands.js'
import type {ServiceSpec} from './service-spec.js'

/**
 * After a systemd install: a supervisor that answers for the home but is not the unit's main
 * process was started outside the service (`codexd start`, the shell snippet). The unit's
 * `codexd run` then exits 6 (RestartPreventExitStatus) and stays failed; returns the note
 * that says how to hand over, or undefined when there is nothing to say.
 */
export async function outsideSupervisorNote(spec: ServiceSpec, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (spec.manager !== 'systemd') return undefined
  const report = await queryStatus(homePaths(spec.home), 2000)
  if (!report.supervisor) return undefined
  const show = spawnSync(managerBinary(spec, env), ['--user', 'show', '--property', 'MainPID', '--value', spec.identity.unitName], {encoding: 'utf8', timeout: 30_000, env})
  const mainPid = Number(show.stdout?.trim())
  if (show.status !== 0 || !Number.isInteger(mainPid) || mainPid === report.supervisor.pid) return undefined
  const unit = spec.identity.unitName
  return `note: codexd already runs for ${spec.home} outside the service (supervisor pid ${report.supervisor.pid}), so ${unit} cannot start (exit 6); hand over with: codexd stop && systemctl --user restart ${unit}`
}
