import {oclifFlags} from '../flags/oclif.js'
import {STOP} from '../flags/tables.js'
import {runStop} from '../hot/stop.js'
import {CodexdCommand} from '../base-command.js'

export default class Stop extends CodexdCommand {
  static override summary = 'Stop the supervisor and its app-server (stopping a stopped home is success).'
  static override description = `Graceful request over the control socket (the supervisor sends SIGTERM to the app-server's process group, then SIGKILL after the grace); if the supervisor does not answer, SIGTERM to it and the child's group, then SIGKILL after the grace. Says which step ended it. Leaves no process and no socket file; lock files stay.`
  static override examples = ['<%= config.bin %> stop', '<%= config.bin %> stop --grace 2000 --json']
  static override flags = oclifFlags(STOP)

  async run(): Promise<void> {
    await runStop(this.parseTable(STOP).flags)
  }
}
