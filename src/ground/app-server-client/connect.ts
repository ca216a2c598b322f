import {createConnection} from 'node:net'
import type {Duplex} from 'node:stream'
import WebSocket from 'ws'
import {MAX_MESSAGE_BYTES} from '../protocol/json-rpc.js'

/** Where an app-server client's bytes go: a unix socket at an exact path, or a stream (a proxy's stdio). */
export type AppServerTarget = {readonly socketPath: string} | {readonly stream: Duplex}

export interface WebSocketOptions {
  /** Gives up on the HTTP upgrade after this long (ws's handshakeTimeout). */
  readonly handshakeTimeoutMs?: number
  /** The largest message accepted; codex's own limit unless a caller needs more. */
  readonly maxPayload?: number
}

/**
 * A WebSocket client to an app-server as codex's transport wants it (no compression, 16 MiB
 * messages), not yet open. The unix socket is connected by its exact path: a `ws+unix://` URL
 * would percent-decode nothing and cut the path at `#`, `?` or `:`, so a CODEX_HOME with a space
 * or a `#` in its name could never be reached.
 */
export function appServerWebSocket(target: AppServerTarget, options: WebSocketOptions = {}): WebSocket {
  const connect = 'socketPath' in target ? () => createConnection({path: target.socketPath}) : () => target.stream
  return new WebSocket('ws://localhost/', {
    perMessageDeflate: false,
    maxPayload: options.maxPayload ?? MAX_MESSAGE_BYTES,
    handshakeTimeout: options.handshakeTimeoutMs,
    createConnection: connect as never,
  })
}

/** Resolves with `socket` once it is open; rejects with the error that prevented it. */
export function whenOpen(socket: WebSocket): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const onOpen = () => {
      socket.off('error', onError)
      resolve(socket)
    }
    const onError = (error: Error) => {
      socket.off('open', onOpen)
      reject(error)
    }
    socket.once('open', onOpen)
    socket.once('error', onError)
  })
}
