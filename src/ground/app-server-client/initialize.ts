import {setTimeout as sleep} from 'node:timers/promises'
import {AppServerClient} from './client.js'
import type {AppServerTarget} from './connect.js'

/**
 * One `initialize` round trip with an app-server: connect, initialize, initialized, close.
 * Resolves with the server's `userAgent`; rejects when it cannot connect, answers with an error,
 * closes first, or does not answer within `timeoutMs` (the whole round trip).
 */
export async function initializeRoundTrip(target: AppServerTarget, timeoutMs: number, clientName: string, clientVersion?: string): Promise<string> {
  const abort = new AbortController()
  let connection: AppServerClient | undefined
  const attempt = (async (): Promise<string | undefined> => {
    const opened = await AppServerClient.open(target, {handshakeTimeoutMs: timeoutMs})
    if (abort.signal.aborted) return void opened.terminate() // timed out meanwhile: nobody waits
    connection = opened
    const result = await connection.initialize(clientName, clientVersion)
    return String(result.userAgent ?? 'unknown')
  })()
  const timeout = sleep(timeoutMs, undefined, {signal: abort.signal}).then(() => {
    throw new Error(`no initialize answer within ${timeoutMs} ms`)
  })
  try {
    return (await Promise.race([attempt, timeout]))!
  } finally {
    abort.abort()
    timeout.catch(() => {})
    attempt.catch(() => {})
    connection?.terminate()
  }
}
