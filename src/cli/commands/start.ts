import {oclifFlags} from '../flags/oclif.js'
import {START} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {runStart} from '../hot/start.js'

export default class Start extends CodexdCommand {
  static override summary = 'Start the codexd supervisor and its app-server (already running is success).'
  static override description = `Returns once the app-server answered an initialize round trip on $CODEX_HOME/app-server-control/app-server-control.sock. Any number of concurrent starts end with one supervisor and one app-server. Clears a crash-loop state.`
  static override examples = ['<%= config.bin %> start', '<%= config.bin %> start --server builtin --json', '<%= config.bin %> start --takeover', '<%= config.bin %> start --on-upgrade notify']
  static override flags = oclifFlags(START)

  async run(): Promise<void> {
    await runStart(this.parseTable(START).flags)
  }
}
