import type {Readable, Writable} from 'node:stream'
import type WebSocket from 'ws'
import {ErrorCodes, MAX_MESSAGE_BYTES, type Response} from '../../../ground/protocol/json-rpc.js'
import {ClientState, restartedError} from './client-state.js'
import {type LineEvent, LineSplitter} from './line-splitter.js'

/** How a --jsonl session ended. */
export type JsonlEnd =
  | {readonly kind: 'drained'}
  | {readonly kind: 'client-gone'}
  | {readonly kind: 'server-lost'; readonly unanswered: number}

export interface JsonlProxyOptions {
  /** The canonical socket, named in messages. */
  readonly socket: string
  /** Opens a connection, waiting (and autostarting) as configured; throws when it gives up. */
  readonly connect: () => Promise<WebSocket>
  readonly input: Readable
  readonly output: Writable
  readonly progress: (line: string) => void
}

/** Above this many bytes queued on the socket, stop reading stdin until it drains below LOW. */
const SEND_HIGH_WATER = 1024 * 1024
const SEND_LOW_WATER = 256 * 1024

interface Outgoing {
  readonly text: string
  readonly message: unknown
}

/**
 * `codexd proxy --jsonl`: one JSON-RPC message per stdin line to one WebSocket text message,
 * and back. Survives server restarts: in-flight requests are answered with error -32099, the
 * proxy reconnects and replays the client's initialize (its reply swallowed) and initialized,
 * then carries on. Malformed lines are answered with a parse error and the session continues.
 * Resolves when input ended and every request was answered (or the client's stdout closed),
 * or when the server went away after input ended; throws when reconnecting gives up.
 */
export function runJsonlProxy(options: JsonlProxyOptions): Promise<JsonlEnd> {
  return new JsonlSession(options).run()
}

class JsonlSession {
  private readonly state = new ClientState()
  private readonly splitter = new LineSplitter(MAX_MESSAGE_BYTES)
  /** Messages read while no connection was live (stdin is paused then, so this stays small). */
  private queue: Outgoing[] = []
  private ws: WebSocket | undefined
  private live = false
  private inputEnded = false
  private outputBlocked = false
  private readonly inputPausedFor = new Set<'offline' | 'socket'>()
  private settle: ((how: 'done' | 'lost' | 'client-gone') => void) | undefined

  constructor(private readonly options: JsonlProxyOptions) {}

  async run(): Promise<JsonlEnd> {
    const {input, output} = this.options
    this.pauseInput('offline')
    input.on('data', (chunk: Buffer) => this.onLines(this.splitter.push(chunk)))
    const ended = () => {
      if (this.inputEnded) return
      this.onLines(this.splitter.end())
      this.inputEnded = true
      this.checkDone()
    }
    input.on('end', ended)
    input.on('error', ended)
    output.on('error', () => this.settle?.('client-gone'))
    output.on('drain', () => {
      this.outputBlocked = false
      if (this.ws?.readyState === 1) this.ws.resume()
    })
    for (;;) {
      let ws: WebSocket
      try {
        ws = await this.options.connect()
      } catch (error) {
        this.failQueued('the app-server could not be reached again')
        throw error
      }
      const how = await this.serve(ws)
      if (how !== 'lost') {
        await closeGracefully(ws)
        return {kind: how === 'done' ? 'drained' : 'client-gone'}
      }
      const answers = this.state.failInFlight(`the app-server at ${this.options.socket} restarted or went away`)
      for (const answer of answers) this.writeOut(JSON.stringify(answer))
      if (this.inputEnded && this.queue.length === 0) return {kind: 'server-lost', unanswered: answers.length}
      this.options.progress(`codexd proxy: the app-server at ${this.options.socket} went away; answered ${answers.length} request(s) in flight with error -32099, reconnecting`)
    }
  }

  /** Serves one connection until the session is done or the connection is lost. */
  private serve(ws: WebSocket): Promise<'done' | 'lost' | 'client-gone'> {
    return new Promise((resolve) => {
      this.ws = ws
      this.settle = resolve
      if (this.outputBlocked) ws.pause()
      let replaying = this.state.replay()
      ws.on('message', (data: Buffer) => {
        const text = data.toString('utf8')
        const message = parseOrUndefined(text)
        const verdict = this.state.fromServer(message)
        if (verdict.kind === 'replay-reply') {
          if (verdict.error) this.options.progress(`codexd proxy: the restarted app-server refused the replayed initialize: ${JSON.stringify(verdict.error)}`)
          if (replaying?.initialized) ws.send(replaying.initialized)
          replaying = undefined
          this.goLive()
          return
        }
        this.writeOut(text.includes('\n') ? (message === undefined ? text.replace(/\r?\n/g, ' ') : JSON.stringify(message)) : text)
        this.checkDone()
      })
      ws.on('close', () => {
        if (this.ws !== ws) return
        this.ws = undefined
        this.live = false
        this.pauseInput('offline')
        resolve('lost')
      })
      if (replaying) ws.send(replaying.initialize)
      else this.goLive()
    })
  }

  private goLive(): void {
    this.live = true
    const queued = this.queue
    this.queue = []
    for (const outgoing of queued) this.send(outgoing)
    this.resumeInput('offline')
    this.checkDone()
  }

  private onLines(events: LineEvent[]): void {
    for (const event of events) {
      if ('tooLong' in event) {
        this.writeOut(JSON.stringify(errorAnswer(ErrorCodes.InvalidRequest, `Invalid request: line ${event.number} is ${event.tooLong} bytes, over the ${MAX_MESSAGE_BYTES}-byte message limit; it was dropped`)))
        continue
      }
      if (event.line.trim() === '') continue
      let message: unknown
      try {
        message = JSON.parse(event.line)
      } catch (error) {
        this.writeOut(JSON.stringify(errorAnswer(ErrorCodes.ParseError, `Parse error: line ${event.number} is not JSON (${(error as Error).message})`)))
        continue
      }
      this.send({text: event.line, message})
    }
  }

  private send(outgoing: Outgoing): void {
    const ws = this.ws
    if (!this.live || !ws) {
      this.queue.push(outgoing)
      return
    }
    this.state.fromClient(outgoing.message)
    ws.send(outgoing.text, () => {
      if (ws === this.ws && ws.bufferedAmount <= SEND_LOW_WATER) this.resumeInput('socket')
    })
    if (ws.bufferedAmount > SEND_HIGH_WATER) this.pauseInput('socket')
  }

  private writeOut(line: string): void {
    if (!this.options.output.write(`${line}\n`) && !this.outputBlocked) {
      // A slow reader: stop reading the server until stdout drains.
      this.outputBlocked = true
      this.ws?.pause()
    }
  }

  /** Done: input ended, nothing queued, every request answered. */
  private checkDone(): void {
    if (this.inputEnded && this.live && this.queue.length === 0 && this.state.inFlightCount === 0) this.settle?.('done')
  }

  /** Answers requests that were read but never sent, when the proxy gives up. */
  private failQueued(why: string): void {
    for (const {message} of this.queue) {
      const request = message as {id?: unknown; method?: unknown}
      if (typeof request?.method === 'string' && (typeof request.id === 'string' || typeof request.id === 'number')) {
        this.writeOut(JSON.stringify(restartedError(request.id, request.method, why)))
      }
    }
    this.queue = []
  }

  private pauseInput(reason: 'offline' | 'socket'): void {
    this.inputPausedFor.add(reason)
    this.options.input.pause()
  }

  private resumeInput(reason: 'offline' | 'socket'): void {
    this.inputPausedFor.delete(reason)
    if (this.inputPausedFor.size === 0 && !this.inputEnded) this.options.input.resume()
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function errorAnswer(code: number, message: string): Response {
  return {id: null, error: {code, message}}
}

/** Closes with 1000 and waits (briefly) for the server's close frame. */
async function closeGracefully(ws: WebSocket): Promise<void> {
  if (ws.readyState === 3) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate()
      resolve()
    }, 2000)
    ws.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
    ws.close(1000, 'codexd proxy: client finished')
  })
}
