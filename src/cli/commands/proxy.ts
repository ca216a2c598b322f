import {Flags} from '@oclif/core'
import {CodexdCommand} from '../base-command.js'
import {FLAG_DEFAULTS} from '../defaults.js'
import {runProxyCommand} from '../hot/proxy.js'

export default class Proxy extends CodexdCommand {
  static override summary = 'Attach stdio to the app-server socket (byte-compatible with `codex app-server proxy`).'
  static override description = `Without --jsonl, a raw byte pipe: the client speaks the WebSocket itself, exactly as with \`codex app-server proxy\`. With --jsonl, one JSON-RPC message per line on stdio; the proxy survives server restarts (replays initialize, answers lost requests with error -32099). Waits up to --wait-timeout for an absent or refusing socket. Exit 0 when the client ended; 10 when the server side ended or could not be reached (see docs/proxy.md).`
  static override examples = [
    '<%= config.bin %> proxy',
    '<%= config.bin %> proxy --autostart',
    `printf '%s\\n' '{"id":1,"method":"initialize","params":{"clientInfo":{"name":"ci","version":"1"}}}' | <%= config.bin %> proxy --jsonl`,
  ]
  static override flags = {
    sock: Flags.string({description: 'socket to attach to (default: the app-server socket of CODEX_HOME)'}),
    autostart: Flags.boolean({description: 'start the supervisor (and its app-server) when nothing answers; refused under CODEXD_NO_SPAWN=1', default: false}),
    server: Flags.string({description: 'with --autostart: the app-server a newly started supervisor runs (auto|builtin|codex|<command>)'}),
    'wait-timeout': Flags.integer({description: 'milliseconds to wait for an absent or refusing socket (0: one attempt)', default: FLAG_DEFAULTS.proxyWaitMs, min: 0}),
    jsonl: Flags.boolean({description: 'newline-delimited JSON-RPC on stdio instead of raw bytes', default: false}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Proxy)
    await runProxyCommand({sock: flags.sock, autostart: flags.autostart, server: flags.server, waitTimeoutMs: flags['wait-timeout'], jsonl: flags.jsonl})
  }
}
