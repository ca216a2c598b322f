import {closeSync, constants, fstatSync, openSync, statSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import fsExt from 'fs-ext'
import {CodexdError, errnoCode} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import {lockHolders} from './holders.js'

export {lockHolderAt, lockHolders} from './holders.js'

/** A held exclusive flock(2). Released explicitly, or by the kernel when the process dies. */
export interface HeldLock {
  readonly path: string
  /** Releases the lock and closes the descriptor; the file itself is never deleted. */
  release(): void
  /**
   * False once the file at `path` is no longer the one locked (deleted, or replaced): the lock
   * then protects nothing another process can see, and a newcomer could take a fresh one.
   */
  stillAtPath(): boolean
}

export interface AcquireOptions {
  /** How long to wait for another holder before failing. */
  readonly timeoutMs: number
  /** Called once when the lock is busy and we start waiting, with the holders' pids when known. */
  readonly onWait?: (holders: readonly number[]) => void
  /** Shown in the timeout error: what the lock protects. */
  readonly purpose?: string
  /** Gives up the wait: the promise resolves with undefined (the caller no longer needs the lock). */
  readonly signal?: AbortSignal
}

/**
 * Takes an exclusive flock(2) on `path` (created 0600 when missing), the same primitive codex
 * uses (Rust `File::lock`), so codexd and codex exclude each other. Waits with short non-blocking
 * retries so the wait is bounded; the descriptor is close-on-exec, so children never inherit it.
 */
export async function acquireLock(path: string, options: AcquireOptions & {signal?: undefined}): Promise<HeldLock>
export async function acquireLock(path: string, options: AcquireOptions): Promise<HeldLock | undefined>
export async function acquireLock(path: string, options: AcquireOptions): Promise<HeldLock | undefined> {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o600)
  } catch (error) {
    throw new CodexdError('lock-open', `cannot open lock file ${path} (${errnoCode(error)}): check that its directory is writable by you`, ExitCode.BadPath, {cause: error})
  }
  const deadline = Date.now() + options.timeoutMs
  let waited = false
  let pause = 2
  for (;;) {
    if (options.signal?.aborted) {
      closeSync(fd)
      return undefined
    }
    try {
      fsExt.flockSync(fd, 'exnb')
      return held(path, fd)
    } catch (error) {
      const code = errnoCode(error)
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') {
        closeSync(fd)
        throw new CodexdError('lock-unsupported', `cannot flock ${path} (${code}): this filesystem does not support flock(2); put CODEX_HOME on a local filesystem`, ExitCode.BadPath, {cause: error})
      }
    }
    if (Date.now() >= deadline) {
      const holders = lockHolders(fd)
      closeSync(fd)
      const who = holders.length > 0 ? `held by pid ${holders.join(', ')}` : 'held by another process'
      throw new CodexdError('lock-timeout', `timed out after ${options.timeoutMs} ms waiting for ${options.purpose ?? 'the lock'} at ${path} (${who}): stop that process or retry`, ExitCode.LockTimeout)
    }
    if (!waited) {
      waited = true
      options.onWait?.(lockHolders(fd))
    }
    await sleep(pause + Math.random() * pause)
    pause = Math.min(pause * 2, 25)
  }
}

function held(path: string, fd: number): HeldLock {
  let released = false
  const ino = fstatSync(fd).ino
  return {
    path,
    stillAtPath() {
      try {
        return statSync(path).ino === ino
      } catch {
        return false
      }
    },
    release() {
      if (released) return
      released = true
      try {
        fsExt.flockSync(fd, 'un')
      } finally {
        closeSync(fd)
      }
    },
  }
}
