import {once} from 'node:events'
import {AppServerClient} from '../../ground/app-server-client/client.js'
import {childStdioDuplex} from '../../ground/app-server-client/stdio-duplex.js'
import {killGroup, spawnCodexd} from '../../ground/harness/processes.js'
import {tail} from './cli.js'
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
  const proxy = spawnCodexd(['proxy'], env, {stdio: ['pipe', 'pipe', 'pipe']})
  let stderr = ''
  proxy.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = once(proxy, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  exited.catch(() => {}) // a spawn failure: the initialize below reports it
  let client: AppServerClient | undefined
  const giveUp = () => (client ? client.terminate() : killGroup(proxy.pid))
  const timer = setTimeout(giveUp, timeoutMs)
  signal.addEventListener('abort', giveUp)
  try {
    let result: any
    try {
      client = await AppServerClient.open({stream: childStdioDuplex(proxy)})
      result = await client.initialize('codexd-smoke', '1')
    } catch (error) {
      throw new ScenarioFailure(`initialize through codexd proxy failed: ${(error as Error).message}`, tail(stderr))
    }
    if (!result?.userAgent) throw new ScenarioFailure(`initialize through codexd proxy returned ${JSON.stringify(result).slice(0, 200)}`, tail(stderr))
    proxy.stdin!.end()
    const [code] = await exited
    return {userAgent: result.userAgent, proxyExit: code}
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', giveUp)
    client?.terminate()
    killGroup(proxy.pid)
  }
}
