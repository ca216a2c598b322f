import {setTimeout as sleep} from 'node:timers/promises'
import WebSocket from 'ws'
import {CODEXD_VERSION} from '../../shared/product.js'
import {connectPathFor} from '../../shared/home/socket-path.js'
import type {ManagedChild} from './child-process.js'

/**
 * One `initialize` round trip on the app-server socket (WebSocket over the unix socket,
 * perMessageDeflate off as codex requires). Resolves with the server's `userAgent`; rejects when
 * it cannot connect, answers with an error, or does not answer within `timeoutMs`.
 */
export async function initializeRoundTrip(canonical: string, timeoutMs: number): Promise<string> {
  const socket = new WebSocket(`ws+unix://${connectPathFor(canonical)}:/`, {perMessageDeflate: false, handshakeTimeout: timeoutMs})
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no initialize answer within ${timeoutMs} ms`)), timeoutMs)
      socket.once('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
      socket.once('close', () => {
        clearTimeout(timer)
        reject(new Error('closed before answering initialize'))
      })
      socket.once('open', () => {
        socket.send(JSON.stringify({id: 1, method: 'initialize', params: {clientInfo: {name: 'codexd-supervisor', title: 'codexd supervisor', version: CODEXD_VERSION}}}))
      })
      socket.on('message', (data) => {
        let message: any
        try {
          message = JSON.parse(String(data))
        } catch {
          return
        }
        if (message?.id !== 1) return
        clearTimeout(timer)
        if (message.result) resolve(String(message.result.userAgent ?? 'unknown'))
        else reject(new Error(`initialize failed: ${JSON.stringify(message.error)}`))
      })
    })
  } finally {
    socket.removeAllListeners('close')
    socket.on('error', () => {})
    socket.terminate()
  }
}

/** How waiting for a child's first initialize ended. */
export type Readiness = {kind: 'ready'; userAgent: string} | {kind: 'exited'} | {kind: 'timeout'; lastError: string} | {kind: 'aborted'}

/**
 * Polls initialize round trips until one succeeds, the child exits, `timeoutMs` passes, or
 * `signal` aborts. "Started" means exactly this round trip, never "alive for N seconds".
 */
export async function waitUntilReady(canonical: string, child: ManagedChild, timeoutMs: number, signal?: AbortSignal): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs
  let lastError = 'no attempt yet'
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    if (signal?.aborted) return {kind: 'aborted'}
    if (child.hasExited()) return {kind: 'exited'}
    const remaining = deadline - Date.now()
    if (remaining <= 0) return {kind: 'timeout', lastError}
    const attempt = initializeRoundTrip(canonical, Math.min(5000, remaining)).then(
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
