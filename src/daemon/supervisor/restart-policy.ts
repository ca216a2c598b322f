import type {SupervisorConfig} from './config.js'

/**
 * The delay before restart number `retriesConsumed + 1` of one unstable streak: exponential from
 * `backoffMinMs` by `backoffFactor`, capped at `backoffMaxMs` (the same formula p-retry applies
 * with randomize off, so what the log announces is what happens).
 */
export function backoffDelay(retriesConsumed: number, config: Pick<SupervisorConfig, 'backoffMinMs' | 'backoffMaxMs' | 'backoffFactor'>): number {
  const factor = config.backoffFactor > 0 ? config.backoffFactor : 1
  return Math.min(Math.round(config.backoffMinMs * factor ** Math.max(0, retriesConsumed)), config.backoffMaxMs)
}

/** The p-retry options for one streak of restarts (reset by a stable run or by start/restart). */
export function retryOptions(config: SupervisorConfig): {retries: number; factor: number; minTimeout: number; maxTimeout: number; randomize: false} {
  return {retries: Number.POSITIVE_INFINITY, factor: config.backoffFactor > 0 ? config.backoffFactor : 1, minTimeout: config.backoffMinMs, maxTimeout: config.backoffMaxMs, randomize: false}
}

/**
 * Counts unstable exits in a sliding window: `count` of them within `windowMs` is a crash loop.
 * Cleared by `reset()` (an explicit start or restart).
 */
export class CrashLoopDetector {
  private readonly failures: number[] = []

  constructor(private readonly count: number, private readonly windowMs: number) {}

  /** Records an unstable exit at `now`; true when this one makes it a crash loop. */
  record(now = Date.now()): boolean {
    this.failures.push(now)
    while (this.failures.length > 0 && this.failures[0] <= now - this.windowMs) this.failures.shift()
    return this.count > 0 && this.failures.length >= this.count
  }

  /** Unstable exits still inside the window. */
  recent(now = Date.now()): number {
    return this.failures.filter((at) => at > now - this.windowMs).length
  }

  reset(): void {
    this.failures.length = 0
  }
}

/** True when a child that became ready at `readyAt` and exited at `exitedAt` ran long enough to reset the backoff. */
export function wasStable(readyAt: number | undefined, exitedAt: number, stableMs: number): boolean {
  return readyAt !== undefined && exitedAt - readyAt >= stableMs
}
