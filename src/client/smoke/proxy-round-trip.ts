import {once} from 'node:events'
import {Duplex} from 'node:stream'
import WebSocket from 'ws'
import {CODEXD_ENTRY} from '../../shared/product.js'
import {spawnGroup, tail} from './cli.js'
import {ScenarioFailure} from './types.js'

/** What an initialize round trip through `codexd proxy` returned. */
export interface RoundTrip {
  readonly userAgent: string
  /** The proxy's exit code after the client closed its stdin. */
  readonly proxyExit: number | null
}

/**
 * Speaks the app-server protocol through `codexd proxy` exactly as a remote client does
 * (`ssh host codexd proxy`): a WebSocket handshake and frames over the proxy's stdio, then
 * `initialize` and `initialized`, then end of input. Fails with the proxy's stderr.
 */
export async function initializeThroughProxy(env: NodeJS.ProcessEnv, timeoutMs: number, signal: AbortSignal): Promise<RoundTrip> {
  const proxy = spawnGroup(process.execPath, [CODEXD_ENTRY, 'proxy'], env)
  let stderr = ''
  proxy.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  proxy.stdin!.on('error', () => {})
  const exited = once(proxy, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  // The proxy's stdio as the socket under the WebSocket client (ws needs these net.Socket no-ops).
  const pipe = new Duplex({
    read: () => void proxy.stdout!.resume(),
    write: (chunk, _encoding, callback) => void proxy.stdin!.write(chunk, callback),
    final: (callback) => void proxy.stdin!.end(callback),
  })
  proxy.stdout!.on('data', (chunk: Buffer) => pipe.push(chunk) || proxy.stdout!.pause())
  proxy.stdout!.on('end', () => pipe.push(null))
  Object.assign(pipe, {setNoDelay() {}, setTimeout() {}, setKeepAlive() {}})
  const socket = new WebSocket('ws://codexd-proxy/', {perMessageDeflate: false, createConnection: () => pipe as never})
  const timer = setTimeout(() => socket.terminate(), timeoutMs)
  const abort = () => socket.terminate()
  signal.addEventListener('abort', abort)
  try {
    const response = await new Promise<any>((resolve, reject) => {
      socket.once('open', () => socket.send(JSON.stringify({id: 1, method: 'initialize', params: {clientInfo: {name: 'codexd-smoke', title: 'codexd smoke', version: '1'}}})))
      socket.on('message', (data) => {
        const message = JSON.parse(String(data))
        if (message.id === 1) resolve(message)
      })
      socket.once('close', () => reject(new ScenarioFailure('the connection through codexd proxy closed before the initialize response', tail(stderr))))
      socket.once('error', (error) => reject(new ScenarioFailure(`WebSocket through codexd proxy failed: ${error.message}`, tail(stderr))))
    })
    if (!response.result?.userAgent) throw new ScenarioFailure(`initialize through codexd proxy returned ${JSON.stringify(response).slice(0, 200)}`, tail(stderr))
    await new Promise<void>((resolve) => socket.send(JSON.stringify({method: 'initialized'}), () => resolve()))
    proxy.stdin!.end()
    const [code] = await exited
    return {userAgent: response.result.userAgent, proxyExit: code}
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', abort)
    socket.terminate()
    try {
      process.kill(-proxy.pid!, 'SIGKILL')
    } catch {
      // Exited.
    }
  }
}
