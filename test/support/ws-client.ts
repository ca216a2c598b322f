import {once} from 'node:events'
import WebSocket from 'ws'
import {connectPathFor} from '../../src/shared/home/socket-path.js'

/** A minimal JSON-RPC client over a WebSocket on a unix socket, for tests. */
export class RpcClient {
  private nextId = 1
  private readonly pending = new Map<number | string, (message: any) => void>()
  readonly notifications: unknown[] = []

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data))
      const resolve = message.id !== undefined ? this.pending.get(message.id) : undefined
      if (resolve) {
        this.pending.delete(message.id)
        resolve(message)
      } else this.notifications.push(message)
    })
  }

  /** Wraps a WebSocket that is already open (for example one carried over a proxy's stdio). */
  static over(socket: WebSocket): RpcClient {
    return new RpcClient(socket)
  }

  /** Connects to the socket behind `canonical` (following the long-path fallback). */
  static async connect(canonical: string): Promise<RpcClient> {
    const socket = new WebSocket(`ws+unix://${connectPathFor(canonical)}:/`, {perMessageDeflate: false})
    await Promise.race([once(socket, 'open'), once(socket, 'error').then(([error]) => Promise.reject(error))])
    return new RpcClient(socket)
  }

  /** Sends a request and resolves with the whole response message ({id, result} or {id, error}). */
  request(method: string, params?: unknown): Promise<any> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.pending.set(id, resolve)
      this.socket.send(JSON.stringify(params === undefined ? {id, method} : {id, method, params}))
    })
  }

  notify(method: string, params?: unknown): void {
    this.socket.send(JSON.stringify(params === undefined ? {method} : {method, params}))
  }

  /** initialize + initialized; resolves with the initialize result. */
  async initialize(name = 'codexd-test'): Promise<any> {
    const response = await this.request('initialize', {clientInfo: {name, title: name, version: '0.0.0'}})
    if (response.error) throw new Error(`initialize failed: ${JSON.stringify(response.error)}`)
    this.notify('initialized')
    return response.result
  }

  close(): void {
    this.socket.close()
  }
}
