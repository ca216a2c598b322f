import {Flags} from '@oclif/core'
import {runBuiltinAppServer} from '../../daemon/app-server/run.js'
import {CodexdCommand} from '../base-command.js'
import {FLAG_DEFAULTS} from '../defaults.js'

export default class AppServer extends CodexdCommand {
  static override summary = "Run codexd's built-in app-server (the embedded default when codex is not installed)."
  static override description = `Speaks codex's app-server protocol (WebSocket on a unix socket, or JSON lines on stdio) and starts through the same serialized path as codex: the startup lock, socket preparation, SQLite state, bind. A duplicate launch prints "app-server control socket is already in use at <path>" and exits 6.`
  static override examples = ['<%= config.bin %> app-server --listen unix://', '<%= config.bin %> app-server --listen unix:///tmp/my.sock', '<%= config.bin %> app-server --listen stdio://']
  static override flags = {
    listen: Flags.string({description: 'stdio://, unix:// (the control socket of CODEX_HOME) or unix://PATH', default: FLAG_DEFAULTS.appServerListen}),
    'lock-timeout': Flags.integer({description: 'milliseconds to wait for the startup lock', default: FLAG_DEFAULTS.lockTimeoutMs, min: 0}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(AppServer)
    await runBuiltinAppServer({listen: flags.listen, lockTimeoutMs: flags['lock-timeout']})
    process.exit(0)
  }
}
