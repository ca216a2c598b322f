import {existsSync, lstatSync, readdirSync, readlinkSync, rmdirSync, rmSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {isGeneratedByCodexd, readIfExists, removeGeneratedFile} from '../install/generated-file.js'
import {afterRemoveCommands, commandLine, disableCommands, stopCommands} from './manager-commands.js'
import {serviceName} from './render.js'
import {INSTANCE_DROP_IN} from './systemd-escape.js'
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
  /** `--home` on systemd: the shared template, removed with the last instance, else kept. */
  readonly template?: {readonly path: string; readonly outcome: 'removed' | 'kept'}
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
  if (spec.template) removeIfEmpty(dirname(spec.path))
  removeDanglingEnableLink(spec)
  const template = spec.template && {path: spec.template.path, outcome: removeTemplateAfterLastInstance(spec.template.path)}
  // The unit file is gone, so `disable` can no longer name it; a still-loaded service can be stopped.
  const removed = {...base, outcome: 'removed' as const, ...(template ? {template} : {})}
  if (stopped.kind === 'unavailable') return {...removed, managerRun: {...stopped, manual: commandLine(stopCommands(spec))}}
  const reloaded = runManager(spec, afterRemoveCommands(spec), {platform, env})
  return {...removed, managerRun: reloaded.kind === 'ran' ? {kind: 'ran', commands: [...stopped.commands, ...reloaded.commands]} : reloaded}
}

/**
 * `systemctl --user enable` links default.target.wants/<unit> to the unit; without the manager
 * nobody removes that link, so it would dangle. Removed only when it points at our unit file.
 */
function removeDanglingEnableLink(spec: ServiceSpec): void {
  if (spec.manager !== 'systemd') return
  const unitFile = spec.template?.path ?? spec.path
  const link = join(dirname(unitFile), 'default.target.wants', spec.identity.unitName)
  try {
    if (lstatSync(link).isSymbolicLink() && resolve(dirname(link), readlinkSync(link)) === unitFile) rmSync(link)
  } catch {
    // No link: nothing to clean.
  }
}

/** The instances (`codexd@*.service`) that still have codexd's drop-in or an enable link. */
function remainingInstances(template: string): string[] {
  const dir = dirname(template)
  const listed = (path: string) => (existsSync(path) ? readdirSync(path) : [])
  const withDropIn = listed(dir).filter((name) => /^codexd@.+\.service\.d$/.test(name) && existsSync(join(dir, name, INSTANCE_DROP_IN)))
  const enabled = listed(join(dir, 'default.target.wants')).filter((name) => /^codexd@.+\.service$/.test(name))
  return [...withDropIn, ...enabled]
}

/**
 * After an instance's drop-in is gone: its now empty drop-in directory goes, and the shared
 * template goes with the last instance (it stays while another home still runs from it).
 */
function removeTemplateAfterLastInstance(template: string): 'removed' | 'kept' {
  if (remainingInstances(template).length > 0) return 'kept'
  try {
    removeGeneratedFile(template)
    return 'removed'
  } catch {
    return 'kept' // Someone replaced it with their own unit: theirs to remove.
  }
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir)
  } catch {
    // Not empty (the user's own drop-ins stay), or already gone.
  }
}
