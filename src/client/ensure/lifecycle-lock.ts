import {existsSync} from 'node:fs'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import type {HeldLock} from '../../ground/lock/flock.js'

/**
 * How long `stop` and `restart --server` wait for another command's turn. A holder keeps the lock
 * for a stop (the grace at most) or from spawning a supervisor until it answers (a fraction of a
 * second): 30 s is a queue of many such commands; past it the caller goes ahead without the lock
 * (a wedged holder must not keep a stop from stopping).
 */
export const LIFECYCLE_LOCK_WAIT_MS = 30_000

/**
 * Takes codexd's supervisor lock (`$CODEX_HOME/codexd/supervisor.lock`), which serializes every
 * command that changes whether a supervisor runs: `start` while it spawns one (until it answers),
 * `stop` for its whole stop, `restart --server` for its stop and its start. Undefined when the
 * home has no codexd directory (nothing ever ran, nothing to serialize against) or after
 * LIFECYCLE_LOCK_WAIT_MS (the caller goes ahead without it). `onProgress` hears once that it waits.
 */
export async function holdLifecycleLock(paths: HomePaths, onProgress?: (message: string) => void): Promise<HeldLock | undefined> {
  if (!existsSync(paths.codexdDir)) return undefined
  const {acquireLock} = await import('../../ground/lock/flock.js')
  try {
    return await acquireLock(paths.supervisorLock, {
      timeoutMs: LIFECYCLE_LOCK_WAIT_MS,
      purpose: "codexd's supervisor lock",
      onWait: () => onProgress?.(`waiting for another codexd command (lock ${paths.supervisorLock})`),
    })
  } catch (error) {
    if (error instanceof CodexdError && error.code === 'lock-timeout') return undefined
    throw error
  }
}
