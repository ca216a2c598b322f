import {oclifFlags} from '../flags/oclif.js'
import {PROXY} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {runProxyCommand} from '../hot/proxy.js'

export default class Proxy extends CodexdCommand {
  static override summary = 'Attach stdio to the app-server socket (byte-compatible with `codex app-server proxy`).'
  static override description = `Without --jsonl, a raw byte pipe: the client speaks the WebSocket itself, exactly as with \`codex app-server proxy\`. With --jsonl, one JSON-RPC message per line on stdio; the proxy survives server restarts (replays initialize, answers lost requests with error -32099). Waits up to --wait-timeout for an absent or refusing socket. Exit 0 when the client ended; 10 when the server side ended or could not be reached (see docs/proxy.md).`
  static override examples = [
    '<%= config.bin %> proxy',
    '<%= config.bin %> proxy --autostart',
    `printf '%s\\n' '{"id":1,"method":"initialize","params":{"clientInfo":{"name":"ci","version":"1"}}}' | <%= config.bin %> proxy --jsonl`,
  ]
  static override flags = oclifFlags(PROXY)

  async run(): Promise<void> {
    const {flags} = this.parseTable(PROXY)
    await runProxyCommand({sock: flags.sock, autostart: flags.autostart, server: flags.server, waitTimeoutMs: flags['wait-timeout'], jsonl: flags.jsonl})
  }
}
