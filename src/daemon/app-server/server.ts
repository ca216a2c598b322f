import {createServer, type Server} from 'node:http'
import {createInterface} from 'node:readline'
import {WebSocketServer, type WebSocket} from 'ws'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {ensurePrivateDir} from '../../ground/home/private-dir.js'
import {planSocketEndpoint} from '../../ground/home/socket-path.js'
import {bindSocket, type BoundSocket} from '../../ground/startup/bind-socket.js'
import {serializedStartup} from '../../ground/startup/serialized-startup.js'
import {describeMovedAside, StateDatabase} from '../../ground/state/database.js'
import {MAX_MESSAGE_BYTES} from '../../ground/protocol/json-rpc.js'
import type {ListenTarget} from './listen-url.js'
import type {ServerContext} from './methods.js'
import {builtinMigrations} from './schema.js'
import {Session} from './session.js'


export interface BuiltinServerOptions {
  readonly paths: HomePaths
  readonly listen: ListenTarget
  readonly lockTimeoutMs: number
  /** Told once the server is ready to serve (after the lock is released). */
  readonly onReady?: (info: {socketPath?: string; prepared: string}) => void
  readonly onLockWait?: (holders: readonly number[]) => void
  /** Told about something the user should know that is not an error (a corrupt database moved aside). */
  readonly onNotice?: (line: string) => void
}

/** A running built-in server. */
export interface RunningServer {
  /** Closes clients, removes the socket, records the stop; resolves when all is closed. */
  close(): Promise<void>
  /** Resolves when the server has stopped (stdio: input ended; socket: close() was called). */
  readonly closed: Promise<void>
}

/**
 * Starts the built-in app-server through the serialized startup path: state (SQLite migrations
 * under the startup lock), then the WebSocket listener on the unix socket, or JSON lines on
 * stdio.
 */
export async function startBuiltinServer(options: BuiltinServerOptions): Promise<RunningServer> {
  const {paths, listen} = options
  const endpoint = listen.kind === 'unix' ? planSocketEndpoint(listen.path ?? paths.appServerSocket) : undefined
  const startedAt = Date.now()
  const clients = new Set<WebSocket>()
  let http: Server | undefined
  const {state, listener, prepared} = await serializedStartup({
    lockPath: paths.startupLock,
    endpoint,
    lockTimeoutMs: options.lockTimeoutMs,
    onLockWait: options.onLockWait,
    async initState() {
      ensurePrivateDir(paths.codexdDir)
      const {db, report} = await StateDatabase.open(paths.builtinDb, builtinMigrations)
      if (report.movedAside) options.onNotice?.(describeMovedAside(paths.builtinDb, report.movedAside))
      const run = await db.run('INSERT INTO server_runs (pid, transport, socket_path, started_at) VALUES (?, ?, ?, ?)', [process.pid, listen.kind, endpoint?.canonical ?? null, new Date(startedAt).toISOString()])
      return {db, runId: run.lastID, schemaVersion: report.migratedTo}
    },
    abandonState: (s) => s.db.close(),
    async bind(target): Promise<BoundSocket | undefined> {
      if (!target) return undefined
      http = createServer((_request, response) => {
        response.writeHead(426, {'content-type': 'text/plain'}).end('codexd app-server: WebSocket upgrade required\n')
      })
      return bindSocket(http, target)
    },
  })

  const context: ServerContext = {
    codexHome: paths.home,
    socketPath: endpoint?.canonical,
    stateDb: paths.builtinDb,
    schemaVersion: state.schemaVersion,
    startedAt,
    connectionCount: () => clients.size,
  }
  const recordSession = (client: {name: string; version?: string}) => {
    state.db.run('INSERT INTO sessions (run_id, client_name, client_version, initialized_at) VALUES (?, ?, ?, ?)', [state.runId, client.name, client.version ?? null, new Date().toISOString()]).catch(() => {
      // Recording is best effort: a busy disk must not fail the client's handshake.
    })
  }

  let resolveClosed!: () => void
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve))
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const client of clients) client.close(1001, 'server shutting down')
      http?.closeAllConnections()
      await listener?.release()
      await state.db.run('UPDATE server_runs SET stopped_at = ? WHERE id = ?', [new Date().toISOString(), state.runId]).catch(() => {})
      await state.db.close().catch(() => {})
      resolveClosed()
    })()
    return closing
  }

  if (http) {
    const wss = new WebSocketServer({server: http, perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES})
    wss.on('connection', (socket) => {
      clients.add(socket)
      const session = new Session(context, recordSession)
      socket.on('message', (data, isBinary) => {
        const reply = session.handle(isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString())
        if (reply) socket.send(JSON.stringify(reply))
      })
      socket.on('close', () => clients.delete(socket))
      socket.on('error', () => socket.terminate())
    })
  } else {
    serveStdio(new Session(context, recordSession), () => void close())
  }
  options.onReady?.({socketPath: endpoint?.canonical, prepared})
  return {close, closed}
}

/** JSON lines on stdin/stdout, one session; end of input stops the server. */
function serveStdio(session: Session, onEnd: () => void): void {
  const lines = createInterface({input: process.stdin, crlfDelay: Infinity})
  lines.on('line', (line) => {
    if (line.trim() === '') return
    const reply = session.handle(line)
    if (reply) process.stdout.write(`${JSON.stringify(reply)}\n`)
  })
  lines.on('close', onEnd)
}
