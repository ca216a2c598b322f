import {closeSync, constants, fstatSync, openSync, readFileSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import fsExt from 'fs-ext'
import {CodexdError, errnoCode} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'

/** A held exclusive flock(2). Released explicitly, or by the kernel when the process dies. */
export interface HeldLock {
  readonly path: string
  /** Releases the lock and closes the descriptor; the file itself is never deleted. */
  release(): void
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
  return {
    path,
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

/**
 * The pids that hold a flock on the file open as `fd`, read from /proc/locks (Linux only;
 * empty elsewhere). A pid there is the process that took the lock, which may have exited while
 * a child it forked still holds the descriptor.
 */
export function lockHolders(fd: number): number[] {
  let table: string
  try {
    table = readFileSync('/proc/locks', 'utf8')
  } catch {
    return []
  }
  const stat = fstatSync(fd)
  // The device is printed as hex major:minor (glibc's encoding of st_dev), the inode in decimal.
  const major = ((stat.dev >> 8) & 0xfff) | Math.floor(stat.dev / 2 ** 32) & ~0xfff
  const minor = (stat.dev & 0xff) | ((stat.dev >> 12) & 0xfff00)
  const id = `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}:${stat.ino}`
  const pids = new Set<number>()
  for (const line of table.split('\n')) {
    // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"
    const fields = line.trim().split(/\s+/)
    if (fields[1] !== 'FLOCK' || fields.length < 6) continue
    if (fields[5] !== id) continue
    const pid = Number(fields[4])
    if (Number.isInteger(pid) && pid > 0) pids.add(pid)
  }
  return [...pids]
}
