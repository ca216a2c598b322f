import {Flags} from '@oclif/core'
import {CodexdCommand} from '../base-command.js'
import {describeStop, stopSupervisor} from '../../client/operations/stop-supervisor.js'
import {homePaths, resolveCodexHome} from '../../shared/home/codex-home.js'

export default class Stop extends CodexdCommand {
  static override summary = 'Stop the supervisor and its app-server (stopping a stopped home is success).'
  static override description = `Graceful request over the control socket (the supervisor sends SIGTERM to the app-server's process group, then SIGKILL after the grace); if the supervisor does not answer, SIGTERM to it and the child's group, then SIGKILL after the grace. Says which step ended it. Leaves no process and no socket file; lock files stay.`
  static override examples = ['<%= config.bin %> stop', '<%= config.bin %> stop --grace 2000 --json']
  static override flags = {
    grace: Flags.integer({description: 'milliseconds between SIGTERM and SIGKILL (env: CODEXD_STOP_GRACE_MS)', min: 0}),
    json: Flags.boolean({description: 'print the result as JSON', default: false}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Stop)
    const grace = flags.grace ?? (Number(process.env.CODEXD_STOP_GRACE_MS) || 5000)
    const result = await stopSupervisor(homePaths(resolveCodexHome()), grace)
    process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : `${describeStop(result)}\n`)
  }
}
