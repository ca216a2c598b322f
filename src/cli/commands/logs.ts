import {Flags} from '@oclif/core'
import {CodexdCommand} from '../base-command.js'
import {homePaths, resolveCodexHome} from '../../shared/home/codex-home.js'
import {printEvents, refuseJsonWithoutEvents} from '../../client/logs/print-events.js'
import {followLog, readLog} from '../../client/logs/log-follow.js'
import {untilInterrupted} from '../../client/logs/until-interrupted.js'

export default class Logs extends CodexdCommand {
  static override summary = "Show the supervisor's log (child output included), or its recorded events."
  static override description = `The log is $CODEX_HOME/codexd/supervisor.log, rotated past CODEXD_LOG_MAX_BYTES (default 5 MiB) into supervisor.log.1..N (CODEXD_LOG_KEEP, default 3). --events lists the events recorded in the state database (spawns, ready, exits, restarts, duplicate launches, watch events).`
  static override examples = ['<%= config.bin %> logs', '<%= config.bin %> logs -f', '<%= config.bin %> logs -n 0', '<%= config.bin %> logs --events --json', '<%= config.bin %> logs --events -f']
  static override flags = {
    follow: Flags.boolean({char: 'f', description: 'keep printing what is appended (follows rotation) until interrupted', default: false}),
    lines: Flags.integer({char: 'n', description: 'how many lines (or events) to show first; 0 for all lines', default: 50, min: 0}),
    events: Flags.boolean({description: 'list recorded events instead of the log (with -f: and each new one)', default: false}),
    json: Flags.boolean({description: 'with --events: one JSON object per event', default: false}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Logs)
    const paths = homePaths(resolveCodexHome())
    if (flags.events) return printEvents(paths, {lines: flags.lines, json: flags.json, follow: flags.follow})
    refuseJsonWithoutEvents(flags.json)
    process.stdout.write(readLog(paths.supervisorLog, flags.lines))
    if (!flags.follow) return
    await untilInterrupted((signal) => followLog(paths.supervisorLog, (text) => process.stdout.write(text), signal))
  }
}
