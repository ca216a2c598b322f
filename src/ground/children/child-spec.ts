import {CodexdError, usageError} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import {CODEXD_ENTRY} from '../product.js'
import {isLockAwareCodex, readCodexVersion} from './codex-version.js'
import {findOnPath} from './find-on-path.js'
import {CODEXD_VERSION} from '../product.js'

/** Which app-server the supervisor runs. */
export type ChildKind = 'builtin' | 'codex' | 'command'

/** Everything the supervisor needs to spawn and supervise one kind of child. */
export interface ChildSpec {
  readonly kind: ChildKind
  /** The executable and its arguments, spawned without a shell. */
  readonly file: string
  readonly args: readonly string[]
  /** codex's version, codexd's for the built-in, null for a custom command. */
  readonly version: string | null
  /**
   * True when the child takes app-server-startup.lock itself (codex >= 0.133.0 and the built-in):
   * the supervisor must never hold that lock while waiting for it. False: the supervisor holds it
   * from spawn until the child answers initialize.
   */
  readonly lockAware: boolean
  /** A one-line description for status and logs. */
  readonly describe: string
}

/** The environment variable equivalent of `--server`. */
export const SERVER_ENV = 'CODEXD_SERVER'
/** Overrides where `--server codex` finds codex (default: `codex` on PATH). */
export const CODEX_BIN_ENV = 'CODEXD_CODEX_BIN'

/** The `--server` value in effect: the flag, else $CODEXD_SERVER, else `auto`. */
export function serverChoice(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const value = (flag ?? env[SERVER_ENV] ?? 'auto').trim()
  if (value === '') throw usageError(`--server (or ${SERVER_ENV}) is empty: use auto, builtin, codex or a command`)
  return value
}

/**
 * Resolves `auto|builtin|codex|<command>` to a spawnable child. `auto` is codex on PATH, else the
 * built-in. For codex, `codex --version` decides whether it is lock-aware (>= 0.133.0). Anything
 * else is a command run by /bin/sh (`exec` prepended so the shell does not stay in between),
 * which must serve the app-server protocol on $CODEX_HOME/app-server-control/app-server-control.sock;
 * it is treated as lock-unaware.
 */
export async function resolveChildSpec(choice: string, env: NodeJS.ProcessEnv = process.env): Promise<ChildSpec> {
  if (choice === 'builtin') return builtinSpec()
  if (choice === 'auto' || choice === 'codex') {
    const bin = env[CODEX_BIN_ENV] || findOnPath('codex', env)
    if (bin) return codexSpec(bin)
    if (choice === 'auto') return builtinSpec()
    throw new CodexdError('codex-missing', `--server codex: no codex executable on PATH (and ${CODEX_BIN_ENV} is not set): install @openai/codex, set ${CODEX_BIN_ENV}, or choose --server builtin`, ExitCode.ChildFailed)
  }
  return {kind: 'command', file: '/bin/sh', args: ['-c', `exec ${choice}`], version: null, lockAware: false, describe: `command: ${choice}`}
}

function builtinSpec(): ChildSpec {
  return {
    kind: 'builtin',
    file: process.execPath,
    args: [CODEXD_ENTRY, 'app-server', '--listen', 'unix://'],
    version: CODEXD_VERSION,
    // The built-in takes the startup lock itself, exactly like a lock-aware codex.
    lockAware: true,
    describe: `codexd built-in app-server ${CODEXD_VERSION}`,
  }
}

/** The spec of the codex at `bin`, its version read now (again after an upgrade). */
export async function codexSpec(bin: string): Promise<ChildSpec> {
  const version = await readCodexVersion(bin)
  const lockAware = isLockAwareCodex(version)
  return {kind: 'codex', file: bin, args: ['app-server', '--listen', 'unix://'], version, lockAware, describe: `codex ${version} (${bin}${lockAware ? '' : ', lock-unaware: codexd serializes its startup'})`}
}
