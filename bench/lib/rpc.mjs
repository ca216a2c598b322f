/**
 * A JSON-RPC client over a WebSocket, either straight on a unix socket or through a stdio proxy
 * child (`codexd proxy`, `codex app-server proxy`), exactly as a desktop app talks through
 * `ssh host codexd proxy`.
 */
import {once} from 'node:events'
import {Duplex} from 'node:stream'
import WebSocket from 'ws'
import {connectPathFor} from '../../dist/shared/home/socket-path.js'

const MAX_PAYLOAD = 64 * 1024 * 1024

export class Rpc {
  #nextId = 1
  #pending = new Map()

  constructor(socket) {
    this.socket = socket
    socket.on('message', (data) => {
      const message = JSON.parse(String(data))
      const settle = this.#pending.get(message.id)
      if (settle) {
        this.#pending.delete(message.id)
        settle(message)
      }
    })
    socket.on('close', () => {
      for (const settle of this.#pending.values()) settle({error: {message: 'connection closed'}})
      this.#pending.clear()
    })
  }

  /** Opens a client on the socket behind `canonical` (long-path fallback followed). */
  static async direct(canonical) {
    return new Rpc(await opened(new WebSocket(`ws+unix://${connectPathFor(canonical)}:/`, {perMessageDeflate: false, maxPayload: MAX_PAYLOAD})))
  }

  /** Opens a client whose bytes go through a proxy child's stdin/stdout. */
  static async throughChild(child) {
    const duplex = stdioDuplex(child)
    return new Rpc(await opened(new WebSocket('ws://localhost/', {perMessageDeflate: false, maxPayload: MAX_PAYLOAD, createConnection: () => duplex})))
  }

  /** Sends a request; resolves with the whole answer ({id, result} or {id, error}). */
  request(method, params) {
    const id = this.#nextId++
    return new Promise((resolve) => {
      this.#pending.set(id, resolve)
      this.socket.send(JSON.stringify({id, method, params}))
    })
  }

  /** initialize + initialized; throws when the server answers with an error. */
  async initialize(name = 'codexd-bench') {
    const answer = await this.request('initialize', {clientInfo: {name, title: name, version: '0.0.0'}})
    if (answer.error) throw new Error(`initialize failed: ${JSON.stringify(answer.error)}`)
    this.socket.send(JSON.stringify({method: 'initialized'}))
    return answer.result
  }

  /** Closes the WebSocket and waits until the connection is gone. */
  async close() {
    if (this.socket.readyState === WebSocket.CLOSED) return
    const closed = once(this.socket, 'close')
    this.socket.close()
    const timer = setTimeout(() => this.socket.terminate(), 2000)
    await closed
    clearTimeout(timer)
  }
}

/** One connect + initialize + close; resolves true on success, false on any failure. */
export async function initializeOnce(canonical) {
  let client
  try {
    client = await Rpc.direct(canonical)
    await client.initialize()
    return true
  } catch {
    return false
  } finally {
    client?.socket.terminate()
  }
}

function opened(socket) {
  return Promise.race([once(socket, 'open').then(() => socket), once(socket, 'error').then(([error]) => Promise.reject(error))])
}

/** A Duplex over a child's stdin (writes) and stdout (reads) with back-pressure both ways. */
function stdioDuplex(child) {
  const duplex = new Duplex({
    read() {
      child.stdout.resume()
    },
    write(chunk, _encoding, callback) {
      if (child.stdin.write(chunk)) callback()
      else child.stdin.once('drain', () => callback())
    },
    final(callback) {
      child.stdin.end()
      callback()
    },
  })
  child.stdin.on('error', () => {}) // EPIPE after the proxy exited; the read side reports the end
  child.stdout.on('data', (chunk) => {
    if (!duplex.push(chunk)) child.stdout.pause()
  })
  child.stdout.on('end', () => duplex.push(null))
  // ws calls these on a net.Socket; a pipe has no use for them.
  return Object.assign(duplex, {setNoDelay: () => duplex, setTimeout: () => duplex, setKeepAlive: () => duplex})
}
