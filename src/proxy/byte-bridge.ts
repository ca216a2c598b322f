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
 * which side ended; the caller flushes `output` and picks the exit code.
 */
export function bridgeBytes(socket: Socket, input: Readable, output: Writable, drainGraceMs = DRAIN_GRACE_MS): Promise<BridgeEnd> {
  const watch = new CloseFrameWatch()
  let inputEnded = false
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
    const clientEnd = (): BridgeEnd => ({side: 'client', how: inputEnded ? 'input-ended' : 'websocket-closed'})

    function fromClient(chunk: Buffer): void {
      if (!watch.closeSent) watch.feed(chunk)
      if (!socket.write(chunk)) input.pause()
    }
    function fromServer(chunk: Buffer): void {
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
      graceTimer = setTimeout(() => finish(clientEnd()), drainGraceMs)
    })
    input.on('error', () => {
      inputEnded = true
      finish(clientEnd())
    })
    output.on('error', () => finish({side: 'client', how: 'output-closed'}))
    socket.once('end', () => finish(inputEnded || watch.closeSent ? clientEnd() : {side: 'server', how: 'closed'}))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      finish(inputEnded || watch.closeSent ? clientEnd() : {side: 'server', how: 'error', detail: error.code ?? error.message})
    })
  })
}
