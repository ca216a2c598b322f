import {setTimeout as sleep} from 'node:timers/promises'

/** The poll interval for waits a user waits on (a process ending after a signal): /proc reads are cheap. */
export const QUICK_POLL_MS = 5

/** Polls `check` every `intervalMs` until it is true (resolves true) or `timeoutMs` passes (false). */
export async function pollUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() >= deadline) return false
    await sleep(intervalMs)
  }
  return true
}
