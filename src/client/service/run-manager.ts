import {spawnSync} from 'node:child_process'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {commandLine, managerBinary, type ManagerCommand} from './manager-commands.js'
import type {ServiceSpec} from './service-spec.js'

/** What a service command did with the manager: ran it, could not, or (dry run / nothing to do) did not try. */
export type ManagerReport = ManagerRun | {readonly kind: 'dry-run'; readonly manual: string} | {readonly kind: 'skipped'}

/** What running the manager commands did. */
export type ManagerRun =
  | {readonly kind: 'ran'; readonly commands: string[]}
  /** The manager cannot be reached (not installed, no user session bus, another platform). */
  | {readonly kind: 'unavailable'; readonly reason: string; readonly manual: string}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}

/**
 * Runs `commands` with the manager (systemctl --user / launchctl), in order. When the manager
 * is missing, runs on another platform, or fails its FIRST command (systemd: no user manager
 * or session bus, as in containers and CI), nothing is half-done: `unavailable`, with the
 * commands for the user to run. A later failure is a CodexdError (exit 11).
 */
export function runManager(spec: ServiceSpec, commands: readonly ManagerCommand[], {platform, env = process.env}: {platform: string; env?: NodeJS.ProcessEnv}): ManagerRun {
  const manual = commandLine(commands)
  if (platform !== process.platform) return {kind: 'unavailable', reason: `this is ${process.platform}, the service is for ${platform}`, manual}
  const binary = managerBinary(spec, env)
  const ran: string[] = []
  for (const [index, command] of commands.entries()) {
    const result = spawnSync(binary, command.argv.slice(1), {encoding: 'utf8', timeout: 60_000, env})
    const line = commandLine([command])
    if (result.error) {
      if (index === 0) return {kind: 'unavailable', reason: `${command.argv[0]} cannot be run (${(result.error as NodeJS.ErrnoException).code ?? result.error.message})`, manual}
      throw new CodexdError('service-manager-failed', `${line} could not be run (${result.error.message}): run it yourself`, ExitCode.ServiceFailed)
    }
    if (result.status !== 0 && !command.mayFail) {
      const detail = firstLine(result.stderr) || firstLine(result.stdout) || `exit ${result.status}`
      if (index === 0) return {kind: 'unavailable', reason: `${line} failed: ${detail}`, manual}
      throw new CodexdError('service-manager-failed', `${line} failed (${detail}): check ${spec.manager === 'systemd' ? `journalctl --user -u ${spec.identity.unitName}` : 'log show --predicate \'subsystem == "com.apple.launchd"\''} and run it again`, ExitCode.ServiceFailed)
    }
    ran.push(line)
  }
  return {kind: 'ran', commands: ran}
}
