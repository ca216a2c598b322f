import {runProxy, type ProxyOptions} from '../../client/proxy/run-proxy.js'

/**
 * `codexd proxy`: bridges stdio to the app-server socket, then exits the process at once (stdin
 * would otherwise keep it alive); stdout is flushed before. Shared by the oclif command and the
 * fast path. A CodexdError (server side ended: exit 10) propagates to the caller's reporter.
 */
export async function runProxyCommand(options: ProxyOptions): Promise<never> {
  await runProxy(options)
  process.exit(0)
}
