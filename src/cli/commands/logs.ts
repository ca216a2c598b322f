import {SUPERVISOR_SETTINGS} from '../../daemon/supervisor/config.js'
import {oclifFlags} from '../flags/oclif.js'
import {LOGS} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {runLogs} from '../hot/logs.js'

export default class Logs extends CodexdCommand {
  static override summary = "Show the supervisor's log (child output included), or its recorded events."
  static override description = `The log is $CODEX_HOME/codexd/supervisor.log, rotated past CODEXD_LOG_MAX_BYTES (default ${SUPERVISOR_SETTINGS.logMaxBytes.default / 1024 / 1024} MiB) into supervisor.log.1..N (CODEXD_LOG_KEEP, default ${SUPERVISOR_SETTINGS.logKeep.default}). --events lists the events recorded in the state database (spawns, ready, exits, restarts, duplicate launches, watch events).`
  static override examples = ['<%= config.bin %> logs', '<%= config.bin %> logs -f', '<%= config.bin %> logs -n 0', '<%= config.bin %> logs --events --json', '<%= config.bin %> logs --events -f']
  static override flags = oclifFlags(LOGS)

  async run(): Promise<void> {
    await runLogs(this.parseTable(LOGS).flags)
  }
}
