import {oclifFlags} from '../flags/oclif.js'
import {STATUS} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {runStatus} from '../hot/status.js'

export default class Status extends CodexdCommand {
  static override summary = 'Show the supervisor and app-server state (never starts anything).'
  static override description = `Exit 0: the app-server is running (it answered initialize). Exit 3: no supervisor runs for this CODEX_HOME (the last recorded exit is shown). Exit 4: the supervisor does not answer, or it answers but its app-server is not serving (starting, backoff, crash-loop). Exit 6: another process serves the app-server socket (codex's managed daemon, a server started by hand, a codexd orphan); the report names it and what to run (docs/codex-daemon.md).`
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json', '<%= config.bin %> status --watch']
  static override flags = oclifFlags(STATUS)

  async run(): Promise<void> {
    const code = await runStatus(this.parseTable(STATUS).flags)
    if (code !== 0) this.exit(code)
  }
}
