import type {SupervisorConfig} from './config.js'

/**
 * The delay before restart number `streak + 1` of one unstable streak: exponential from
 * `backoffMinMs` by `backoffFactor`, capped at `backoffMaxMs`. Computed once per exit by the
 * state machine (state-machine.ts), which announces it and waits exactly it.
 */
export function backoffDelay(streak: number, config: Pick<SupervisorConfig, 'backoffMinMs' | 'backoffMaxMs' | 'backoffFactor'>): number {
  const factor = config.backoffFactor > 0 ? config.backoffFactor : 1
  return Math.min(Math.round(config.backoffMinMs * factor ** Math.max(0, streak)), config.backoffMaxMs)
}

/**
 * The crash-loop window: records an unstable exit at `now` among the earlier ones and keeps
 * those inside `crashLoopWindowMs`. `crashLoopCount` of them within the window is a crash loop
 * (0 turns the check off). Cleared by an explicit start or restart (the state machine).
 */
export function recordUnstableExit(earlier: readonly number[], now: number, config: Pick<SupervisorConfig, 'crashLoopCount' | 'crashLoopWindowMs'>): {recent: number[]; crashLoop: boolean} {
  const recent = [...earlier, now].filter((at) => at > now - config.crashLoopWindowMs)
  return {recent, crashLoop: config.crashLoopCount > 0 && recent.length >= config.crashLoopCount}
}

/** True when a child that became ready at `readyAt` and exited at `exitedAt` ran long enough to reset the backoff. */
export function wasStable(readyAt: number | undefined, exitedAt: number, stableMs: number): boolean {
  return readyAt !== undefined && exitedAt - readyAt >= stableMs
}
