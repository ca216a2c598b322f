import WebSocket from 'ws'
import type {RequestId} from '../protocol/json-rpc.js'
import {appServerWebSocket, whenOpen, type AppServerTarget, type WebSocketOptions} from './connect.js'

/**
 * A JSON-RPC client of an app-server over one WebSocket: the one client the supervisor's
 * readiness check, `codexd smoke`, the tests and the benchmarks all use. Answers are matched by
 * id; anything else the server sends is kept in `notifications`. A request still unanswered when
 * the connection closes rejects.
 */
export class AppServerClient {
  readonly notifications: unknown[] = []
  private nextId = 1
  private readonly pending = new Map<RequestId, {resolve(message: any): void; reject(error: Error): void}>()

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      let message: any
      try {
        message = JSON.parse(String(data))
      } catch {
        return // not JSON: no answer to match, nothing to keep
      }
      const waiter = message?.id !== undefined && !('method' in message) ? this.pending.get(message.id) : undefined
      if (!waiter) return void this.notifications.push(message)
      this.pending.delete(message.id)
      waiter.resolve(message)
    })
    socket.on('close', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the app-server connection closed (WebSocket code ${code}) before answering`))
      this.pending.clear()
    })
    socket.on('error', () => {}) // a 'close' follows and settles what is pending
  }

  /** Connects to `target` (a unix socket path, exact, or a stream) and waits for the WebSocket to open. */
  static async open(target: AppServerTarget, options: WebSocketOptions = {}): Promise<AppServerClient> {
    return new AppServerClient(await whenOpen(appServerWebSocket(target, options)))
  }

  /** Wraps a WebSocket that is already open. */
  static over(socket: WebSocket): AppServerClient {
    return new AppServerClient(socket)
  }

  /** Sends a request; resolves with the whole answer (`{id, result}` or `{id, error}`). */
  request(method: string, params?: unknown): Promise<any> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      if (this.socket.readyState !== WebSocket.OPEN) return reject(new Error(`cannot send ${method}: the app-server connection is not open`))
      this.pending.set(id, {resolve, reject})
      this.socket.send(JSON.stringify(params === undefined ? {id, method} : {id, method, params}))
    })
  }

  /** Sends a notification (no answer expected); resolves once it is written. */
  notify(method: string, params?: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.send(JSON.stringify(params === undefined ? {method} : {method, params}), (error) => (error ? reject(error) : resolve()))
    })
  }

  /**
   * `initialize` (as client `name`, which codex logs) then `initialized`; resolves with the
   * initialize result, throws on an error answer.
   */
  async initialize(name = 'codexd-client', version = '0.0.0'): Promise<any> {
    const answer = await this.request('initialize', {clientInfo: {name, title: name, version}})
    if (!answer.result) throw new Error(`initialize failed: ${JSON.stringify(answer.error ?? answer)}`)
    await this.notify('initialized')
    return answer.result
  }

  /** Closes the WebSocket and waits (at most `timeoutMs`, then terminates) until the connection is gone. */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return
    const closed = new Promise((resolve) => this.socket.once('close', resolve))
    this.socket.close()
    const timer = setTimeout(() => this.socket.terminate(), timeoutMs)
    await closed
    clearTimeout(timer)
  }

  /** Drops the connection at once. */
  terminate(): void {
    this.socket.terminate()
  }
}
