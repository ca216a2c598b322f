import {resolve} from 'node:path'
import {homePaths, resolveCodexHome} from '../../ground/home/codex-home.js'
import {checkCodex} from './codex-binary.js'
import {checkCodexDaemon} from './codex-daemon.js'
import {checkCodexDaemonTmp} from './codex-daemon-tmp.js'
import {checkFilesystem, checkFreeSpace} from './filesystem.js'
import {checkFlock} from './flock-probe.js'
import {checkLauncher} from './launcher-check.js'
import {checkLinger} from './linger.js'
import {checkLoginPath} from './login-path.js'
import {checkNode} from './node-version.js'
import {checkPermissions} from './permissions.js'
import {checkRuntimeDir} from './runtime-dir.js'
import {checkSocketPaths} from './socket-paths.js'
import {fail, type Check, type DoctorCheck, type DoctorContext} from './types.js'

/** Version of the JSON report's shape (docs/doctor.md); bumped only for incompatible changes. */
export const DOCTOR_SCHEMA = 1

/** `codexd doctor --json`: every finding, in a fixed order. */
export interface DoctorReport {
  readonly schema: typeof DOCTOR_SCHEMA
  readonly home: string
  /** False when any check failed (doctor exits 1). */
  readonly ok: boolean
  readonly counts: Readonly<Record<DoctorCheck['status'], number>>
  readonly checks: readonly DoctorCheck[]
}

/** Every check, in the order they are reported, each with the id it reports under if it throws. */
const CHECKS: ReadonlyArray<readonly [id: string, check: Check]> = [
  ['node', checkNode],
  ['codex', checkCodex],
  ['codex-daemon', checkCodexDaemon],
  ['codex-daemon-tmp', checkCodexDaemonTmp],
  ['filesystem', checkFilesystem],
  ['flock', checkFlock],
  ['free-space', checkFreeSpace],
  ['socket-path', checkSocketPaths],
  ['permissions', checkPermissions],
  ['xdg-runtime-dir', checkRuntimeDir],
  ['systemd-linger', checkLinger],
  ['launcher', checkLauncher],
  ['login-path', checkLoginPath],
]

/** The context for the CODEX_HOME of `env` (a missing home is reported by a check, not thrown). */
export function doctorContext(env: NodeJS.ProcessEnv = process.env): DoctorContext {
  const fromEnv = env.CODEX_HOME
  const home = fromEnv ? resolve(fromEnv) : resolveCodexHome(env)
  return {home, paths: homePaths(home), homeFromEnv: Boolean(fromEnv), env, uid: process.getuid?.() ?? -1}
}

/** Runs every check at once (some wait on programs: codex, loginctl, a login shell); one that throws is reported as failed. */
export async function runDoctor(context: DoctorContext): Promise<DoctorReport> {
  const results = await Promise.all(CHECKS.map(async ([id, check]): Promise<DoctorCheck[]> => {
    try {
      const found = await check(context)
      return Array.isArray(found) ? found : [found]
    } catch (error) {
      return [fail(id, `the check itself failed: ${error instanceof Error ? error.message : String(error)}`, 'report this with the output of codexd doctor --json')]
    }
  }))
  const checks = results.flat()
  const counts = {ok: 0, warn: 0, fail: 0}
  for (const {status} of checks) counts[status]++
  return {schema: DOCTOR_SCHEMA, home: context.home, ok: counts.fail === 0, counts, checks}
}
