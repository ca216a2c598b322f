import {oclifFlags} from '../flags/oclif.js'
import {APP_SERVER} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {runBuiltinAppServer} from '../../daemon/app-server/run.js'

export default class AppServer extends CodexdCommand {
  static override summary = "Run codexd's built-in app-server (the embedded default when codex is not installed)."
  static override description = `Speaks codex's app-server protocol (WebSocket on a unix socket, or JSON lines on stdio) and starts through the same serialized path as codex: the startup lock, socket preparation, SQLite state, bind. A duplicate launch prints "app-server control socket is already in use at <path>" and exits 6.`
  static override examples = ['<%= config.bin %> app-server --listen unix://', '<%= config.bin %> app-server --listen unix:///tmp/my.sock', '<%= config.bin %> app-server --listen stdio://']
  static override flags = oclifFlags(APP_SERVER)

  async run(): Promise<void> {
    const {flags} = this.parseTable(APP_SERVER)
    await runBuiltinAppServer({listen: flags.listen, lockTimeoutMs: flags['lock-timeout']})
    process.exit(0)
  }
}
