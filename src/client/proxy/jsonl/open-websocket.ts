import type WebSocket from 'ws'
import {appServerWebSocket} from '../../../ground/app-server-client/connect.js'
import {connectPathFor} from '../../../ground/home/socket-path.js'
import {classifyConnectError, ConnectError} from '../connect-unix.js'

/**
 * Opens a WebSocket client to the app-server on the unix socket behind `canonical` (through
 * connectPathFor), as codex's transport wants it: no compression, 16 MiB messages. Failures are
 * ConnectErrors: absent, refusing, a handshake cut off by a server going down (all transient,
 * worth waiting out) or anything else (not transient: not an app-server).
 */
export function openWebSocket(canonical: string, timeoutMs: number): Promise<WebSocket> {
  const ws = appServerWebSocket({socketPath: connectPathFor(canonical)}, {handshakeTimeoutMs: timeoutMs})
  return new Promise((resolve, reject) => {
    const fail = (error: ConnectError) => {
      ws.removeAllListeners()
      ws.on('error', () => {})
      ws.terminate()
      reject(error)
    }
    ws.once('open', () => {
      ws.removeAllListeners()
      ws.on('error', () => {}) // a 'close' always follows; the session handles that
      resolve(ws)
    })
    ws.once('unexpected-response', (_request, response) => {
      fail(new ConnectError('other', undefined, `${canonical} answered the WebSocket upgrade with HTTP ${response.statusCode}: it is not an app-server`))
    })
    ws.once('error', (error: NodeJS.ErrnoException) => {
      const failure = classifyConnectError(canonical, error)
      if (failure.kind === 'other' && (error.code === 'ECONNRESET' || error.code === 'EPIPE' || /timed out|socket hang up|closed before/i.test(error.message))) {
        fail(new ConnectError('closed', error.code, `${canonical} accepted but did not complete the WebSocket handshake (${error.code ?? error.message})`))
      } else fail(failure)
    })
  })
}
