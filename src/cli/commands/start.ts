import {Flags} from '@oclif/core'
import {CodexdCommand} from '../base-command.js'
import {runStart} from '../hot/start.js'
import {FLAG_DEFAULTS} from '../defaults.js'

export default class Start extends CodexdCommand {
  static override summary = 'Start the codexd supervisor and its app-server (already running is success).'
  static override description = `Returns once the app-server answered an initialize round trip on $CODEX_HOME/app-server-control/app-server-control.sock. Any number of concurrent starts end with one supervisor and one app-server. Clears a crash-loop state.`
  static override examples = ['<%= config.bin %> start', '<%= config.bin %> start --server builtin --json']
  static override flags = {
    server: Flags.string({description: 'which app-server a new supervisor runs: auto, builtin, codex, or a command (env: CODEXD_SERVER)'}),
    timeout: Flags.integer({description: 'milliseconds to wait for the app-server to answer', default: FLAG_DEFAULTS.startTimeoutMs, min: 1}),
    json: Flags.boolean({description: 'print the result as JSON', default: false}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Start)
    await runStart({json: flags.json, server: flags.server, timeoutMs: flags.timeout})
  }
}
