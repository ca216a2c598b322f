import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {plannedOutcome, writeGeneratedFile, type WriteOutcome} from '../install/generated-file.js'
import {commandLine, enableCommands} from './manager-commands.js'
import {outsideSupervisorNote} from './outside-supervisor.js'
import {renderServiceFile, serviceName, templateFile} from './render.js'
import {runManager, type ManagerReport} from './run-manager.js'
import type {ServiceSpec} from './service-spec.js'

/** The result of `codexd service install` (also its --json output). */
export interface InstallResult {
  readonly action: 'install'
  readonly dryRun: boolean
  readonly manager: ServiceSpec['manager']
  readonly name: string
  readonly home: string
  readonly path: string
  /** created | updated | unchanged (with --dry-run: what would happen). */
  readonly outcome: WriteOutcome
  /** --dry-run: the file that would be written. */
  readonly content?: string
  /** `--home` on systemd: the shared template `codexd@.service` the instance runs from. */
  readonly template?: {readonly path: string; readonly outcome: WriteOutcome; readonly content?: string}
  /** A supervisor started outside the service runs for the home (systemd): how to hand over. */
  readonly note?: string
  /** The manager commands: run, or to run by hand (unavailable / dry run). */
  readonly managerRun: ManagerReport
}

/**
 * Writes the service file for `spec` (idempotent; never over a file codexd did not write) and
 * enables and starts it with the manager, or, when the manager cannot be reached, says which
 * commands to run. --dry-run: writes and runs nothing, returns the content and commands.
 */
export async function installService(spec: ServiceSpec, {dryRun, platform, env = process.env}: {dryRun: boolean; platform: string; env?: NodeJS.ProcessEnv}): Promise<InstallResult> {
  const content = renderServiceFile(spec)
  const shared = templateFile(spec)
  const base = {action: 'install' as const, dryRun, manager: spec.manager, name: serviceName(spec), home: spec.home, path: spec.path}
  if (dryRun) {
    const planned = refuseForeign(spec.path, plannedOutcome(spec.path, content))
    const template = shared && {path: shared.path, outcome: refuseForeign(shared.path, plannedOutcome(shared.path, shared.content)), content: shared.content}
    return {...base, outcome: planned, content, ...(template ? {template} : {}), managerRun: {kind: 'dry-run', manual: commandLine(enableCommands(spec, planned, template?.outcome))}}
  }
  // The template first: an instance's drop-in never exists without the unit it extends.
  const template = shared && {path: shared.path, outcome: writeGeneratedFile(shared.path, shared.content)}
  const outcome = writeGeneratedFile(spec.path, content)
  const managerRun = runManager(spec, enableCommands(spec, outcome, template?.outcome), {platform, env})
  const note = managerRun.kind === 'ran' ? await outsideSupervisorNote(spec, env) : undefined
  return {...base, outcome, ...(template ? {template} : {}), managerRun: managerRun, ...(note ? {note} : {})}
}

function refuseForeign(path: string, planned: WriteOutcome | 'foreign'): WriteOutcome {
  if (planned === 'foreign') throw new CodexdError('foreign-file', `${path} exists and was not written by codexd, so install would refuse to overwrite it: move it aside first`, ExitCode.BadPath)
  return planned
}
