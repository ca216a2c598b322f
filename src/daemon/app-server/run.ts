import {homePaths, resolveCodexHome} from '../../ground/home/codex-home.js'
import {parseListenUrl} from './listen-url.js'
import {startBuiltinServer} from './server.js'

export interface RunAppServerOptions {
  readonly listen: string
  readonly lockTimeoutMs: number
}

/**
 * `codexd app-server`: runs the built-in server until SIGTERM/SIGINT (or end of stdin for
 * stdio://), then closes clients, removes its socket and resolves, for an exit 0.
 */
export async function runBuiltinAppServer(options: RunAppServerOptions): Promise<void> {
  const listen = parseListenUrl(options.listen)
  const paths = homePaths(resolveCodexHome())
  const server = await startBuiltinServer({
    paths,
    listen,
    lockTimeoutMs: options.lockTimeoutMs,
    onLockWait: (holders) => process.stderr.write(`codexd app-server: waiting for the startup lock at ${paths.startupLock}${holders.length > 0 ? ` (held by pid ${holders.join(', ')})` : ''}\n`),
    onNotice: (line) => process.stderr.write(`codexd app-server: ${line}\n`),
    onReady: ({socketPath}) => {
      if (socketPath) process.stderr.write(`codexd app-server: listening on unix://${socketPath}\n`)
    },
  })
  const stop = () => void server.close()
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  await server.closed
}
