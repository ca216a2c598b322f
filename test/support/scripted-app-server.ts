import {once} from 'node:events'
import {createServer} from 'node:http'
import {WebSocketServer, type WebSocket} from 'ws'

/** One connection's record: every message the server received, parsed. */
export interface ScriptedConnection {
  readonly socket: WebSocket
  readonly received: any[]
}

/** A running scripted server. */
export interface ScriptedServer {
  readonly connections: ScriptedConnection[]
  /** Cuts every connection without a close frame, as a crash does. */
  dropAll(): void
  close(): Promise<void>
}

/**
 * A WebSocket app-server on a real unix socket in the test process, scripted for cases the
 * built-in server cannot stage on demand: `initialize` and `echo` are answered, `hang` never
 * is (a request stays in flight), and `dropAll()` cuts every connection the way a crashing
 * server does. Records what each connection received.
 */
export async function startScriptedServer(path: string): Promise<ScriptedServer> {
  const http = createServer()
  const wss = new WebSocketServer({server: http, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024})
  const connections: ScriptedConnection[] = []
  wss.on('connection', (socket) => {
    const connection = {socket, received: [] as any[]}
    connections.push(connection)
    socket.on('error', () => {})
    socket.on('message', (data) => {
      const message = JSON.parse(String(data))
      connection.received.push(message)
      if (message.method === 'initialize') socket.send(JSON.stringify({id: message.id, result: {userAgent: 'scripted-test-server'}}))
      else if (message.method === 'echo') socket.send(JSON.stringify({id: message.id, result: message.params}))
    })
  })
  http.listen(path)
  await once(http, 'listening')
  return {
    connections,
    dropAll: () => {
      for (const client of wss.clients) client.terminate()
    },
    close: async () => {
      for (const client of wss.clients) client.terminate()
      wss.close()
      http.closeAllConnections()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}
