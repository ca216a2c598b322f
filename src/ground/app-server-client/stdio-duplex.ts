import type {ChildProcess} from 'node:child_process'
import {Duplex} from 'node:stream'

/**
 * A Duplex over a child's stdin (writes) and stdout (reads), with back-pressure both ways and
 * shaped like a socket for `ws`'s `createConnection`, so a WebSocket client can run its handshake
 * through a stdio proxy (`codexd proxy`, `codex app-server proxy`), as `ssh host codexd proxy` does.
 */
export function childStdioDuplex(child: ChildProcess): Duplex {
  const stdin = child.stdin!
  const stdout = child.stdout!
  const duplex = new Duplex({
    read: () => void stdout.resume(),
    write: (chunk, _encoding, callback) => void stdin.write(chunk, callback),
    final: (callback) => void stdin.end(callback),
  })
  stdin.on('error', () => {}) // EPIPE after the proxy exited; the read side reports the end
  stdout.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) stdout.pause()
  })
  stdout.on('end', () => duplex.push(null))
  // ws calls these on a net.Socket; a pipe has no use for them.
  return Object.assign(duplex, {setNoDelay: () => duplex, setTimeout: () => duplex, setKeepAlive: () => duplex})
}
