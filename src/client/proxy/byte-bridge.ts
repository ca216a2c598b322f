import type {Socket} from 'node:net'
import type {Readable, Writable} from 'node:stream'
import {CloseFrameWatch} from './close-frame-watch.js'

/** Which side ended a bridged connection, and how. */
export type BridgeEnd =
  | {readonly side: 'client'; readonly how: 'input-ended' | 'websocket-closed' | 'output-closed'}
  | {readonly side: 'server'; readonly how: 'closed' | 'error'; readonly detail?: string}

/** How long the server may take to close after the client ended its input. */
export const DRAIN_GRACE_MS = 5000

/**
 * Copies bytes both ways between the client's stdio and the server socket, unchanged, until one
 * side ends. Back-pressure both ways: a source is paused while its destination's buffer is full,
 * so a slow reader never makes the proxy buffer more than one chunk per direction.
 *
 * End of input from the client half-closes the socket (the server sees EOF and closes, and what
 * it still sends is delivered); the end of the server's side resolves at once. Resolves with
 * which side ended; the caller flushes `output` and picks the exit code. `onFirstInput` sees the
 * client's first chunk (it is forwarded unchanged whatever it holds).
 */
export function bridgeBytes(socket: Socket, input: Readable, output: Writable, drainGraceMs = DRAIN_GRACE_MS, onFirstInput?: (chunk: Buffer) => void): Promise<BridgeEnd> {
  // Who sent the first WebSocket close frame says who ended a connection the server then closes.
  const clientWatch = new CloseFrameWatch()
  const serverWatch = new CloseFrameWatch()
  let inputEnded = false
  /** The side that ended: the client when it ended its input or sent the first close frame. */
  const ended = (serverHow: 'closed' | 'error', detail?: string): BridgeEnd => {
    // A server that sent the first close frame ended the session, even when the client's end of
    // input (its answer to that close) reaches us before the server's end of the connection.
    const serverClosedFirst = serverWatch.closeSeen !== undefined && (clientWatch.closeSeen === undefined || serverWatch.closeSeen < clientWatch.closeSeen)
    if (!serverClosedFirst && clientWatch.closeSeen !== undefined) return {side: 'client', how: 'websocket-closed'}
    if (!serverClosedFirst && inputEnded) return {side: 'client', how: 'input-ended'}
    return {side: 'server', how: serverHow, detail}
  }
  return new Promise((resolve) => {
    let done = false
    let graceTimer: NodeJS.Timeout | undefined
    const finish = (end: BridgeEnd) => {
      if (done) return
      done = true
      clearTimeout(graceTimer)
      input.pause()
      input.removeListener('data', fromClient)
      socket.removeListener('data', fromServer)
      socket.destroy()
      resolve(end)
    }

    let firstInput = onFirstInput
    function fromClient(chunk: Buffer): void {
      firstInput?.(chunk)
      firstInput = undefined
      if (clientWatch.watching) clientWatch.feed(chunk)
      if (!socket.write(chunk)) input.pause()
    }
    function fromServer(chunk: Buffer): void {
      if (serverWatch.watching) serverWatch.feed(chunk)
      if (!output.write(chunk)) socket.pause()
    }
    input.on('data', fromClient)
    socket.on('drain', () => input.resume())
    socket.on('data', fromServer)
    output.on('drain', () => socket.resume())

    input.once('end', () => {
      inputEnded = true
      socket.end()
      // A server that never closes after our EOF must not keep the proxy alive forever.
      graceTimer = setTimeout(() => finish(ended('closed')), drainGraceMs)
    })
    input.on('error', () => {
      inputEnded = true
      finish(ended('closed'))
    })
    output.on('error', () => finish({side: 'client', how: 'output-closed'}))
    socket.once('end', () => finish(ended('closed')))
    socket.on('error', (error: NodeJS.ErrnoException) => finish(ended('error', error.code ?? error.message)))
  })
}
