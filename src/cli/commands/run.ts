import {Flags} from '@oclif/core'
import {CodexdCommand} from '../base-command.js'
import {runSupervisor} from '../../daemon/supervisor/run.js'

export default class Run extends CodexdCommand {
  static override summary = 'Run the codexd supervisor in the foreground (systemd, containers, CI).'
  static override description = `The same supervisor that codexd start runs detached: one per CODEX_HOME, it starts the app-server child, restarts it with backoff, and answers codexd status/stop/restart. Logs go to $CODEX_HOME/codexd/supervisor.log and to stderr. SIGTERM or SIGINT stop the child's process group and exit 0. As PID 1 (a container's entrypoint) it hands PID 1 to a small sh init that reaps orphaned processes, forwards the signals and exits with codexd's status (docs/containers.md).`
  static override examples = ['<%= config.bin %> run', '<%= config.bin %> run --server builtin', 'CODEXD_SERVER=codex <%= config.bin %> run']
  static override flags = {
    server: Flags.string({description: 'which app-server to run: auto (codex on PATH, else built-in), builtin, codex, or a command (env: CODEXD_SERVER)'}),
    daemon: Flags.boolean({description: 'started by codexd start: log only to the log file', hidden: true, default: false}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Run)
    await runSupervisor({server: flags.server, daemon: flags.daemon})
    process.exit(0)
  }
}
