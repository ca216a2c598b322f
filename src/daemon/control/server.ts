import {lstatSync} from 'node:fs'
import {createServer, type Server, type Socket} from 'node:net'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {planSocketEndpoint} from '../../ground/home/socket-path.js'
import {bindSocket, type BoundSocket} from '../../ground/startup/bind-socket.js'
import {prepareSocketPath} from '../../ground/startup/prepare-socket.js'
import {faultPoint} from '../../ground/testing/fault-points.js'
import {CONTROL_REQUEST_TYPES, CONTROL_REQUESTS, isControlRequestType, MAX_CONTROL_LINE_BYTES, type ControlAnswer, type ControlRequest, type ControlRequestType} from '../../ground/protocol/control.js'

/** A handler's answer, and optional work to do once the answer is written (stop: exit). */
export interface HandlerResult<Answer> {
  readonly response: Answer
  readonly after?: () => void
}

/** One handler per request type (the compiler names a missing one), each returning its answer type. */
export type ControlHandlers = {readonly [K in ControlRequestType]: (request: ControlRequest<K>) => Promise<HandlerResult<ControlAnswer<K>>>}

/** How long a refused connection may stay open for its peer to read the answer. */
const HANG_UP_GRACE_MS = 1000

/** A listening control socket. */
export interface ControlServer {
  /** Stops accepting, closes connections, removes the socket file. */
  close(): Promise<void>
  /**
   * Binds the socket afresh when its file is no longer ours (removed, say): clients find the
   * supervisor again. Anything else at the path (a regular file, another process's socket) is
   * left as it is and reported. The caller must hold the supervisor instance lock.
   */
  repair(): Promise<SocketRepair>
}

/** What `repair` found: our socket in place, a new one bound, or a path it must not touch. */
export type SocketRepair = {readonly kind: 'ok'} | {readonly kind: 'rebound'} | {readonly kind: 'blocked'; readonly why: string}

/**
 * Listens on `$CODEX_HOME/codexd/supervisor.sock` (0600, long-path safe) and answers one JSON
 * line per request line. The caller must hold the supervisor instance lock: any socket file
 * already there belongs to a dead supervisor and is removed.
 */
export async function startControlServer(paths: HomePaths, handlers: ControlHandlers): Promise<ControlServer> {
  const endpoint = planSocketEndpoint(paths.supervisorSocket)
  try {
    await prepareSocketPath(endpoint)
  } catch (error) {
    if (error instanceof CodexdError && error.code === 'already-in-use') {
      throw new CodexdError('supervisor-running', `another process answers on the supervisor socket ${paths.supervisorSocket}: stop it (codexd stop) before running a second supervisor`, ExitCode.AlreadyInUse)
    }
    throw error
  }
  await faultPoint('supervisor-after-prepare')
  const connections = new Set<Socket>()
  const listen = async (): Promise<{server: Server; bound: BoundSocket}> => {
    const server: Server = createServer((socket) => {
      connections.add(socket)
      socket.on('close', () => connections.delete(socket))
      socket.on('error', () => socket.destroy())
      serveConnection(socket, handlers)
    })
    return {server, bound: await bindSocket(server, endpoint)}
  }
  let current = await listen()
  await faultPoint('supervisor-after-bind')
  return {
    async close() {
      for (const socket of connections) socket.end()
      await current.bound.release()
    },
    async repair() {
      if (current.bound.owned() && (!endpoint.linked || existsLink(endpoint.canonical))) return {kind: 'ok'}
      try {
        // Under the instance lock: only a dead socket is removed; a regular file or a live
        // listener is refused (and kept).
        await prepareSocketPath(endpoint)
      } catch (error) {
        return {kind: 'blocked', why: error instanceof Error ? error.message : String(error)}
      }
      // The old listener's file is gone: closing it (which unlinks its path) removes nothing now.
      await new Promise<void>((resolve) => current.server.close(() => resolve()))
      current = await listen()
      return {kind: 'rebound'}
    },
  }
}

function existsLink(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

/**
 * Answers each request line in the order received (one at a time per connection, so pipelined
 * requests get their answers in order). A line over MAX_CONTROL_LINE_BYTES gets an error and the
 * connection is dropped: a client that keeps sending must not make the supervisor buffer it.
 */
function serveConnection(socket: Socket, handlers: ControlHandlers): void {
  let buffer = ''
  let answered = Promise.resolve()
  socket.setEncoding('utf8')
  const onData = (chunk: string) => {
    buffer += chunk
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      const line = buffer.slice(0, end)
      buffer = buffer.slice(end + 1)
      if (line.trim() !== '') answered = answered.then(() => answer(socket, line, handlers))
    }
    if (buffer.length > MAX_CONTROL_LINE_BYTES) {
      socket.off('data', onData)
      buffer = ''
      answered = answered.then(() => reply(socket, {ok: false, error: 'request line too long', code: 'bad-request'}, () => hangUp(socket)))
    }
  }
  socket.on('data', onData)
}

/**
 * Ends the connection without reading more: the peer gets the answer and end of input; one that
 * keeps sending is stopped by back-pressure and cut off after a grace second.
 */
function hangUp(socket: Socket): void {
  socket.end()
  socket.pause()
  setTimeout(() => socket.destroy(), HANG_UP_GRACE_MS).unref()
}

async function answer(socket: Socket, line: string, handlers: ControlHandlers): Promise<void> {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    reply(socket, {ok: false, error: 'request is not JSON', code: 'bad-request'})
    return
  }
  const fields = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {}
  if (!isControlRequestType(fields.type)) {
    reply(socket, {ok: false, error: `unknown request type; expected one of ${CONTROL_REQUEST_TYPES.join(', ')}`, code: 'bad-request'})
    return
  }
  if (!CONTROL_REQUESTS[fields.type].paramsOk(fields)) {
    reply(socket, {ok: false, error: `malformed '${fields.type}' request: graceMs must be a number >= 0 and wait a boolean`, code: 'bad-request'})
    return
  }
  // The checks above make `fields` a request of its type, and the map holds that type's handler.
  const handle = handlers[fields.type] as (request: ControlRequest) => Promise<HandlerResult<object>>
  try {
    const result = await handle(fields as ControlRequest)
    reply(socket, {ok: true, ...result.response}, result.after)
  } catch (error) {
    reply(socket, {ok: false, error: error instanceof Error ? error.message : String(error), code: error instanceof CodexdError ? error.code : 'internal'})
  }
}

function reply(socket: Socket, message: Record<string, unknown>, after?: () => void): void {
  if (socket.destroyed || !socket.writable) {
    after?.()
    return
  }
  socket.write(`${JSON.stringify(message)}\n`, () => after?.())
}
