import pRetry, {AbortError} from 'p-retry'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {ConnectError, isTransient} from './connect-unix.js'
import {seeLog, type SocketOwner} from './socket-owner.js'

export interface WaitOptions {
  /** The canonical app-server socket (named in messages). */
  readonly socket: string
  /** Whose socket it is: the supervisor log and the fix named in the give-up message. */
  readonly owner: SocketOwner
  /** How long to keep retrying a socket that is absent or refusing; 0 means one attempt. */
  readonly waitTimeoutMs: number
  /** A line for a human on stderr. */
  readonly progress: (line: string) => void
  /** When the first progress line is printed (nothing for a quick reconnect). */
  readonly progressAfterMs?: number
  /**
   * Called once, after the first transient failure and before retrying, with the time left (for
   * --autostart: run the ensure path). Its errors end the wait.
   */
  readonly onUnreachable?: (remainingMs: number) => Promise<void>
  /**
   * Called after every transient failure, before retrying: whether waiting still makes sense (a
   * start that was on its way may have ended without a server). Its errors end the wait.
   */
  readonly whileUnreachable?: () => Promise<void>
}

/** Backoff between attempts: 50 ms doubling (randomized) up to 1 s. */
const BACKOFF = {minTimeout: 50, factor: 2, maxTimeout: 1000, randomize: true} as const

/**
 * Calls `attempt` until it succeeds, retrying with backoff (p-retry) while it fails with a
 * transient ConnectError (socket absent, refusing, not accepting), up to `waitTimeoutMs`. Prints
 * progress after about a second, then every 5 s. Gives up with a ProxyFailed error that names
 * the socket, the fix and the supervisor log of its home; a non-transient failure ends the wait at once.
 */
export async function waitForServer<T>(attempt: () => Promise<T>, options: WaitOptions): Promise<T> {
  const started = Date.now()
  let last: ConnectError | undefined
  let unreachableHandled = options.onUnreachable === undefined
  const describe = () => (last ? last.message : 'no attempt finished yet')
  const timers: NodeJS.Timeout[] = []
  const say = () => options.progress(`codexd proxy: waiting for the app-server at ${options.socket} (${describe()}); ${Math.round((Date.now() - started) / 1000)} s of ${Math.round(options.waitTimeoutMs / 1000)} s`)
  timers.push(setTimeout(() => {
    say()
    timers.push(setInterval(say, 5000))
  }, options.progressAfterMs ?? 1000))
  try {
    return await pRetry(
      async () => {
        try {
          return await attempt()
        } catch (error) {
          if (!isTransient(error)) throw new AbortError(error as Error)
          last = error as ConnectError
          try {
            if (!unreachableHandled) {
              unreachableHandled = true
              await options.onUnreachable!(Math.max(0, options.waitTimeoutMs - (Date.now() - started)))
            }
            await options.whileUnreachable?.()
          } catch (checkError) {
            throw new AbortError(checkError as Error)
          }
          throw error
        }
      },
      {...BACKOFF, retries: Number.POSITIVE_INFINITY, maxRetryTime: options.waitTimeoutMs},
    )
  } catch (error) {
    if (error instanceof CodexdError) throw error
    if (error instanceof ConnectError && isTransient(error)) {
      throw new CodexdError('proxy-unreachable', `no app-server answered at ${options.socket} within ${formatSeconds(options.waitTimeoutMs)} (${error.message}): ${options.owner.fix}${seeLog(options.owner, ', and ')}`, ExitCode.ProxyFailed, {cause: error})
    }
    const detail = error instanceof Error ? error.message : String(error)
    throw new CodexdError('proxy-connect-failed', `cannot connect to the app-server at ${options.socket}: ${detail}; check the path and its permissions${seeLog(options.owner, ', and ')}`, ExitCode.ProxyFailed, {cause: error})
  } finally {
    for (const timer of timers) clearTimeout(timer)
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`
}
