import {closeSync, constants, openSync} from 'node:fs'
import {controlRequest} from '../control/client.js'
import {CodexdError, errnoCode} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import type {HomePaths} from '../../ground/home/codex-home.js'

/** A live supervisor answers ping in milliseconds; a busy one is given this long. */
const PING_TIMEOUT_MS = 2000

/**
 * The proxy's check when CODEX_HOME's app-server socket does not answer and --autostart is not
 * given: waiting only makes sense while a supervisor (re)starts its child. Returns when a
 * supervisor answers (or is wedged: the wait and its give-up message tell the rest), or when a
 * `codexd start` or a supervisor is on its way (it holds codexd's supervisor lock or instance
 * lock); otherwise fails at once with the command that fixes it.
 */
export async function requireSupervisor(paths: HomePaths): Promise<void> {
  try {
    await controlRequest(paths, {type: 'ping'}, PING_TIMEOUT_MS)
    return
  } catch (error) {
    if (!(error instanceof CodexdError) || error.code !== 'supervisor-not-running') return
  }
  if ((await lockHeld(paths.supervisorLock)) || (await lockHeld(paths.supervisorInstanceLock))) return
  throw new CodexdError('proxy-no-supervisor', `nothing answers at ${paths.appServerSocket} and no codexd supervisor runs for ${paths.home}: run codexd start first, or use codexd proxy --autostart`, ExitCode.ProxyFailed)
}

/** True when some process holds a flock on `path` (read from /proc/locks; never takes it, never creates the file). */
async function lockHeld(path: string): Promise<boolean> {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY)
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false
    return true // unreadable: do not claim that nobody is starting
  }
  try {
    // Loaded only here: the proxy that finds its server never pays for fs-ext.
    const {lockHolders} = await import('../../ground/lock/flock.js')
    return lockHolders(fd).length > 0
  } finally {
    closeSync(fd)
  }
}
