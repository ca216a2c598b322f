import {oclifFlags} from '../flags/oclif.js'
import {RESTART} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {runRestart} from '../hot/restart.js'

export default class Restart extends CodexdCommand {
  static override summary = 'Restart the app-server (clears a crash-loop); starts codexd when nothing runs.'
  static override description = `Ends the child's process group (SIGTERM, SIGKILL after the grace) and starts a new child, returning once it answered initialize. With --server, the supervisor itself is restarted with that choice.`
  static override examples = ['<%= config.bin %> restart', '<%= config.bin %> restart --server builtin', '<%= config.bin %> restart --takeover']
  static override flags = oclifFlags(RESTART)

  async run(): Promise<void> {
    await runRestart(this.parseTable(RESTART).flags)
  }
}
