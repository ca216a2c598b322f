import {Flags} from '@oclif/core'
import {CodexdCommand} from '../base-command.js'
import {runStart} from '../hot/start.js'
import {runTakeover} from '../../client/takeover/run-takeover.js'
import {FLAG_DEFAULTS} from '../defaults.js'

export default class Start extends CodexdCommand {
  static override summary = 'Start the codexd supervisor and its app-server (already running is success).'
  static override description = `Returns once the app-server answered an initialize round trip on $CODEX_HOME/app-server-control/app-server-control.sock. Any number of concurrent starts end with one supervisor and one app-server. Clears a crash-loop state.`
  static override examples = ['<%= config.bin %> start', '<%= config.bin %> start --server builtin --json']
  static override flags = {
    server: Flags.string({description: 'which app-server a new supervisor runs: auto, builtin, codex, or a command (env: CODEXD_SERVER)'}),
    timeout: Flags.integer({description: 'milliseconds to wait for the app-server to answer', default: FLAG_DEFAULTS.startTimeoutMs, min: 1}),
    json: Flags.boolean({description: 'print the result as JSON', default: false}),
    // codex-daemon (issue 10)
    takeover: Flags.boolean({description: "when codex's managed daemon or an orphaned codexd app-server serves the home, stop it and serve the home with codexd (docs/codex-daemon.md)"}),
    force: Flags.boolean({description: 'with --takeover: also end a server started by hand whose socket and home are this home', dependsOn: ['takeover']}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Start)
    if (flags.takeover) return runTakeover({json: flags.json, server: flags.server, timeoutMs: flags.timeout, force: flags.force === true})
    await runStart({json: flags.json, server: flags.server, timeoutMs: flags.timeout})
  }
}
