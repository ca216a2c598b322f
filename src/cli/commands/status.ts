import {Flags} from '@oclif/core'
import {CodexdCommand} from '../base-command.js'
import {FLAG_DEFAULTS} from '../defaults.js'
import {runStatus} from '../hot/status.js'
import {refuseIntervalWithoutWatch, runStatusWatch} from '../../client/operations/run-status-watch.js'

export default class Status extends CodexdCommand {
  static override summary = 'Show the supervisor and app-server state (never starts anything).'
  static override description = `Exit 0: the app-server is running (it answered initialize). Exit 3: no supervisor runs for this CODEX_HOME (the last recorded exit is shown). Exit 4: the supervisor does not answer, or it answers but the app-server is not serving (starting, backoff, crash-loop, or another process owns the socket).`
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json', '<%= config.bin %> status --watch']
  static override flags = {
    json: Flags.boolean({description: 'print the stable JSON report (docs/supervisor.md)', default: false}),
    timeout: Flags.integer({description: 'milliseconds to wait for the supervisor to answer', default: FLAG_DEFAULTS.statusTimeoutMs, min: 1}),
    watch: Flags.boolean({char: 'w', description: 'keep asking until Ctrl-C: redrawn in place on a terminal; with --json one JSON document per line per change', default: false}),
    interval: Flags.integer({description: 'with --watch: milliseconds between asks (default 1000)', min: 100}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Status)
    refuseIntervalWithoutWatch(flags.watch, flags.interval)
    if (flags.watch) return runStatusWatch({json: flags.json, timeoutMs: flags.timeout, intervalMs: flags.interval ?? 1000})
    const code = await runStatus({json: flags.json, timeoutMs: flags.timeout})
    if (code !== 0) this.exit(code)
  }
}
