import {oclifFlags} from '../flags/oclif.js'
import {RUN} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {runSupervisor} from '../../daemon/supervisor/run.js'

export default class Run extends CodexdCommand {
  static override summary = 'Run the codexd supervisor in the foreground (systemd, containers, CI).'
  static override description = `The same supervisor that codexd start runs detached: one per CODEX_HOME, it starts the app-server child, restarts it with backoff, and answers codexd status/stop/restart. Logs go to $CODEX_HOME/codexd/supervisor.log and to stderr. SIGTERM or SIGINT stop the child's process group and exit 0. As PID 1 (a container's entrypoint) it hands PID 1 to a small sh init that reaps orphaned processes, forwards the signals and exits with codexd's status (docs/containers.md).`
  static override examples = ['<%= config.bin %> run', '<%= config.bin %> run --server builtin', 'CODEXD_SERVER=codex <%= config.bin %> run', '<%= config.bin %> run --server codex --on-upgrade restart-now']
  static override flags = oclifFlags(RUN)

  async run(): Promise<void> {
    await runSupervisor(this.parseTable(RUN).flags)
    process.exit(0)
  }
}
