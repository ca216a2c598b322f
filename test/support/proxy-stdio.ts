import type {ChildProcess} from 'node:child_process'
import {once} from 'node:events'
import {after} from 'node:test'
import type WebSocket from 'ws'
import {AppServerClient} from '../../src/ground/app-server-client/client.js'
import {appServerWebSocket, whenOpen} from '../../src/ground/app-server-client/connect.js'
import {childStdioDuplex} from '../../src/ground/app-server-client/stdio-duplex.js'
import {probeSocket} from '../../src/ground/startup/socket-probe.js'
import {tempHome, type TempHome} from '../../src/ground/harness/home.js'
import {killAllStarted, spawnCodexd, waitFor} from '../../src/ground/harness/processes.js'

/** Spawns `codexd proxy ARGS` with pipes on all three stdio streams. */
export function spawnProxy(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawnCodexd(['proxy', ...args], env, {stdio: ['pipe', 'pipe', 'pipe']})
}

/** Accumulates a stream's text; `text()` reads what arrived so far. */
export function collect(stream: NodeJS.ReadableStream | null | undefined): {text(): string} {
  let text = ''
  stream?.setEncoding('utf8')
  stream?.on('data', (chunk: string) => (text += chunk))
  return {text: () => text}
}

/** The exit of a child (already exited or not). */
export async function exitOf(child: ChildProcess): Promise<{code: number | null; signal: NodeJS.Signals | null}> {
  if (child.exitCode !== null || child.signalCode !== null) return {code: child.exitCode, signal: child.signalCode}
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null]
  return {code, signal}
}

/** Opens a WebSocket client (no compression, 16 MiB messages) through a proxy child's stdio. */
export function wsThroughProxy(child: ChildProcess): Promise<WebSocket> {
  return whenOpen(appServerWebSocket({stream: childStdioDuplex(child)}))
}

/** An app-server client speaking through a proxy child's stdio. */
export function rpcThroughProxy(child: ChildProcess): Promise<AppServerClient> {
  return AppServerClient.open({stream: childStdioDuplex(child)})
}

/** Starts `codexd app-server --listen LISTEN` and waits until its socket accepts connections. */
export async function startBuiltin(env: NodeJS.ProcessEnv, socket: string, listen = 'unix://'): Promise<ChildProcess> {
  const server = spawnCodexd(['app-server', '--listen', listen], env)
  server.stdout?.resume()
  server.stderr?.resume()
  let exited = false
  server.once('exit', () => (exited = true))
  await waitFor(async () => exited || (await probeSocket(socket)).kind === 'live', {timeoutMs: 30_000, what: `the built-in app-server on ${socket}`})
  if (exited) throw new Error(`the built-in app-server exited before listening on ${socket}`)
  return server
}

/** Sends one JSON-RPC message per line to a --jsonl proxy and reads its answers by id. */
export class JsonlClient {
  private buffer = ''
  readonly messages: any[] = []

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8')
    child.stdout!.on('data', (chunk: string) => {
      // Scan only the new chunk for newlines: messages may be 16 MiB.
      let start = 0
      for (let newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', start)) {
        this.messages.push(JSON.parse(this.buffer + chunk.slice(start, newline)))
        this.buffer = ''
        start = newline + 1
      }
      this.buffer += chunk.slice(start)
    })
  }

  /** Writes one line (a message object is serialized; a string is sent as is). */
  send(message: unknown): void {
    this.child.stdin!.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`)
  }

  /** Waits for the message answering `id` (or the first with `id: null` for null). */
  answer(id: number | string | null, timeoutMs = 30_000): Promise<any> {
    return waitFor(() => this.messages.find((message) => message.id === id && !('method' in message)), {timeoutMs, what: `the answer to id ${id}`})
  }

  /** initialize + initialized; resolves with the initialize answer. */
  async initialize(id: number | string = 1, name = 'codexd-proxy-test'): Promise<any> {
    this.send({id, method: 'initialize', params: {clientInfo: {name, title: name, version: '0.0.0'}}})
    const answer = await this.answer(id)
    this.send({method: 'initialized'})
    return answer
  }
}

/** Live processes whose environment has CODEX_HOME=`home`: every supervisor, app-server child or proxy of a test home. */
export {processesForHome as processesUsingHome} from '../../src/ground/proc/home-processes.js'

/**
 * Fresh temporary homes for one test file: every home handed out is removed, and every process
 * the file started is killed, after the file's tests (even when they failed).
 */
export function homesForFile(prefix: string): () => TempHome {
  const homes: TempHome[] = []
  after(() => {
    killAllStarted()
    for (const home of homes) home.remove()
  })
  return () => {
    const home = tempHome(prefix)
    homes.push(home)
    return home
  }
}

/** The built-in app-server on the home's socket, and a WebSocket client attached through `codexd proxy ARGS`. */
export async function builtinThroughProxy(home: TempHome, args: readonly string[] = []) {
  const server = await startBuiltin(home.env, home.paths.appServerSocket)
  const proxy = spawnProxy(args, home.env)
  const stderr = collect(proxy.stderr)
  const client = await rpcThroughProxy(proxy)
  return {server, proxy, stderr, client}
}
