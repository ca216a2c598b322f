import {lstatSync, readlinkSync, rmSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {CodexdError} from '../../shared/errors/codexd-error.js'
import {ExitCode} from '../../shared/errors/exit-codes.js'
import {isGeneratedByCodexd, readIfExists, removeGeneratedFile} from '../install/generated-file.js'
import {afterRemoveCommands, commandLine, disableCommands, stopCommands} from './manager-commands.js'
import {serviceName} from './render.js'
import {runManager, type ManagerReport} from './run-manager.js'
import type {ServiceSpec} from './service-spec.js'

/** The result of `codexd service uninstall` (also its --json output). */
export interface UninstallResult {
  readonly action: 'uninstall'
  readonly dryRun: boolean
  readonly manager: ServiceSpec['manager']
  readonly name: string
  readonly home: string
  readonly path: string
  /** removed | absent (nothing was installed: success) (with --dry-run: what would happen). */
  readonly outcome: 'removed' | 'absent'
  readonly managerRun: ManagerReport
}

/**
 * Stops and disables the service, then removes its file. Nothing installed is success. A file
 * codexd did not write is refused (exit 7) and left alone, and nothing is stopped.
 */
export function uninstallService(spec: ServiceSpec, {dryRun, platform, env = process.env}: {dryRun: boolean; platform: string; env?: NodeJS.ProcessEnv}): UninstallResult {
  const base = {action: 'uninstall' as const, dryRun, manager: spec.manager, name: serviceName(spec), home: spec.home, path: spec.path}
  const existing = readIfExists(spec.path)
  const commands = [...disableCommands(spec), ...afterRemoveCommands(spec)]
  if (existing === undefined) return {...base, outcome: 'absent', managerRun: {kind: 'skipped'}}
  if (!isGeneratedByCodexd(existing)) throw new CodexdError('foreign-file', `${spec.path} was not written by codexd (no "codexd:generated" header), so codexd will not stop or remove it: remove it yourself`, ExitCode.BadPath)
  if (dryRun) return {...base, outcome: 'removed', managerRun: {kind: 'dry-run', manual: commandLine(commands)}}
  const stopped = runManager(spec, disableCommands(spec), {platform, env})
  removeGeneratedFile(spec.path)
  removeDanglingEnableLink(spec)
  // The unit file is gone, so `disable` can no longer name it; a still-loaded service can be stopped.
  if (stopped.kind === 'unavailable') return {...base, outcome: 'removed', managerRun: {...stopped, manual: commandLine(stopCommands(spec))}}
  const reloaded = runManager(spec, afterRemoveCommands(spec), {platform, env})
  return {...base, outcome: 'removed', managerRun: reloaded.kind === 'ran' ? {kind: 'ran', commands: [...stopped.commands, ...reloaded.commands]} : reloaded}
}

/**
 * `systemctl --user enable` links default.target.wants/<unit> to the unit; without the manager
 * nobody removes that link, so it would dangle. Removed only when it points at our unit file.
 */
function removeDanglingEnableLink(spec: ServiceSpec): void {
  if (spec.manager !== 'systemd') return
  const link = join(dirname(spec.path), 'default.target.wants', spec.identity.unitName)
  try {
    if (lstatSync(link).isSymbolicLink() && resolve(dirname(link), readlinkSync(link)) === spec.path) rmSync(link)
  } catch {
    // No link: nothing to clean.
  }
}
