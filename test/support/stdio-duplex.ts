import type {ChildProcess} from 'node:child_process'
import {Duplex} from 'node:stream'

/**
 * A Duplex over a child's stdin/stdout, shaped like a socket for `ws`'s `createConnection`, so a
 * WebSocket client can run its handshake through a stdio proxy (`codex app-server proxy`,
 * `codexd proxy`).
 */
export function childStdioDuplex(child: ChildProcess): Duplex {
  const duplex = new Duplex({
    write(chunk, _encoding, callback) {
      child.stdin!.write(chunk, callback)
    },
    final(callback) {
      child.stdin!.end(callback)
    },
    read() {
      child.stdout!.resume()
    },
  })
  child.stdout!.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) child.stdout!.pause()
  })
  child.stdout!.on('end', () => duplex.push(null))
  // ws calls these on a net.Socket; a pipe has no use for them.
  Object.assign(duplex, {setNoDelay() {}, setTimeout() {}, setKeepAlive() {}})
  return duplex
}
