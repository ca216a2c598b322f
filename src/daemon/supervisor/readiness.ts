import {setTimeout as sleep} from 'node:timers/promises'
import {initializeRoundTrip} from '../../ground/app-server-client/initialize.js'
import {connectPathFor} from '../../ground/home/socket-path.js'
import {CODEXD_VERSION} from '../../ground/product.js'
import type {ManagedChild} from './child-process.js'

/** How long readiness polls every 10 ms before it slows to every 250 ms. */
const QUICK_PHASE_MS = 2000

/** How waiting for a child's first initialize ended. */
export type Readiness = {kind: 'ready'; userAgent: string} | {kind: 'exited'} | {kind: 'timeout'; lastError: string} | {kind: 'aborted'}

/**
 * Polls initialize round trips until one succeeds, the child exits, `timeoutMs` passes, or
 * `signal` aborts. "Started" means exactly this round trip, never "alive for N seconds".
 */
export async function waitUntilReady(canonical: string, child: ManagedChild, timeoutMs: number, signal?: AbortSignal): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs
  let lastError = 'no attempt yet'
  const started = Date.now()
  // codex answers ~100 ms after spawn: short pauses at first see that at once, longer ones later
  // keep a slow start (one waiting for codex's startup lock) from costing CPU.
  for (let pause = 10; ; pause = Date.now() - started < QUICK_PHASE_MS ? 10 : 250) {
    if (signal?.aborted) return {kind: 'aborted'}
    if (child.hasExited()) return {kind: 'exited'}
    const remaining = deadline - Date.now()
    if (remaining <= 0) return {kind: 'timeout', lastError}
    const target = {socketPath: connectPathFor(canonical)}
    const attempt = initializeRoundTrip(target, Math.min(5000, remaining), 'codexd-supervisor', CODEXD_VERSION).then(
      (userAgent) => ({kind: 'ready', userAgent}) as const,
      (error: Error) => {
        lastError = error.message
        return undefined
      },
    )
    const result = await Promise.race([attempt, child.exited.then(() => ({kind: 'exited'}) as const)])
    if (result) return result
    await sleep(pause)
  }
}

/**
 * The periodic liveness probe: one bounded initialize round trip on the child's socket. Resolves
 * when the child answered within `timeoutMs`; rejects (with the reason) when it did not.
 */
export async function probeAnswers(canonical: string, timeoutMs: number): Promise<void> {
  await initializeRoundTrip({socketPath: connectPathFor(canonical)}, timeoutMs, 'codexd-supervisor', CODEXD_VERSION)
}
