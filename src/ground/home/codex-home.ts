import {statSync} from 'node:fs'
import {homedir} from 'node:os'
import {isAbsolute, join, resolve} from 'node:path'
import {CodexdError, errnoCode} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'

/** Every path codexd uses under one CODEX_HOME, computed in one place. */
export interface HomePaths {
  /** The CODEX_HOME directory itself. */
  readonly home: string
  /** `$CODEX_HOME/app-server-control`: codex's own control directory (0700). */
  readonly controlDir: string
  /** codex's startup lock: flock(2) LOCK_EX, never deleted. */
  readonly startupLock: string
  /** The canonical app-server control socket path. */
  readonly appServerSocket: string
  /** `$CODEX_HOME/codexd`: codexd's own files (0700). */
  readonly codexdDir: string
  /** codexd's supervisor lock (never codex's). */
  readonly supervisorLock: string
  /** Held (flock) by the running supervisor for its whole life: at most one per CODEX_HOME. */
  readonly supervisorInstanceLock: string
  /** The supervisor's control socket (JSON lines). */
  readonly supervisorSocket: string
  /** The supervisor's state database. */
  readonly supervisorDb: string
  /** The supervisor's log file. */
  readonly supervisorLog: string
  /** The built-in app-server's state database. */
  readonly builtinDb: string
}

/**
 * Resolves CODEX_HOME the way codex does: the `CODEX_HOME` variable when set (it must name an
 * existing directory), else `~/.codex` (created on demand).
 */
export function resolveCodexHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CODEX_HOME
  if (fromEnv === undefined || fromEnv === '') return join(homedir(), '.codex')
  // One spelling of each home: `~/x/` and `~/x` are the same home (in status, the service name,
  // and the processes found by their CODEX_HOME).
  const home = isAbsolute(fromEnv) ? fromEnv.replace(/(?<=.)\/+$/, '') : resolve(fromEnv)
  let isDirectory: boolean
  try {
    isDirectory = statSync(home).isDirectory()
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      throw new CodexdError('home-missing', `CODEX_HOME points to ${home}, which does not exist: create it (mkdir -p ${home}) or unset CODEX_HOME`, ExitCode.BadPath)
    }
    throw new CodexdError('home-unreadable', `CODEX_HOME at ${home} cannot be read (${errnoCode(error)}): fix its permissions or unset CODEX_HOME`, ExitCode.BadPath)
  }
  if (!isDirectory) {
    throw new CodexdError('home-not-dir', `CODEX_HOME points to ${home}, which is not a directory: point CODEX_HOME at a directory`, ExitCode.BadPath)
  }
  return home
}

/** All codexd and codex paths under one CODEX_HOME. */
export function homePaths(home: string): HomePaths {
  const controlDir = join(home, 'app-server-control')
  const codexdDir = join(home, 'codexd')
  return {
    home,
    controlDir,
    startupLock: join(controlDir, 'app-server-startup.lock'),
    appServerSocket: join(controlDir, 'app-server-control.sock'),
    codexdDir,
    supervisorLock: join(codexdDir, 'supervisor.lock'),
    supervisorInstanceLock: join(codexdDir, 'supervisor.instance.lock'),
    supervisorSocket: join(codexdDir, 'supervisor.sock'),
    supervisorDb: join(codexdDir, 'supervisor.sqlite'),
    supervisorLog: join(codexdDir, 'supervisor.log'),
    builtinDb: join(codexdDir, 'builtin-app-server.sqlite'),
  }
}
