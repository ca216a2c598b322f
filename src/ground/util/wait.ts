import {setTimeout as sleep} from 'node:timers/promises'

/** How often to poll: a fixed interval, or a short one at first that then grows. */
export type PollInterval = number | {readonly firstMs: number; readonly forMs: number; readonly thenMs: number}

/**
 * For waits a user waits on (a process ending after a signal): every 5 ms for the first 100 ms,
 * which sees the usual exit at once, then every 50 ms, so a group that outlives its SIGTERM for
 * the whole grace (each check may scan /proc) costs little CPU.
 */
export const QUICK_POLL: PollInterval = {firstMs: 5, forMs: 100, thenMs: 50}

/** Polls `check` every `interval` until it is true (resolves true) or `timeoutMs` passes (false). */
export async function pollUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, interval: PollInterval = 20): Promise<boolean> {
  const started = Date.now()
  const deadline = started + timeoutMs
  while (!(await check())) {
    if (Date.now() >= deadline) return false
    await sleep(typeof interval === 'number' ? interval : Date.now() - started < interval.forMs ? interval.firstMs : interval.thenMs)
  }
  return true
}
