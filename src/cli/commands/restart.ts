import {Flags} from '@oclif/core'
import {CodexdCommand} from '../base-command.js'
import {restartSupervisor} from '../../client/operations/restart-supervisor.js'
import {DEFAULT_ENSURE_TIMEOUT_MS} from '../../client/ensure/ensure-supervisor.js'
import {homePaths, resolveCodexHome} from '../../shared/home/codex-home.js'
import {runTakeover, servedByAnother} from '../../client/takeover/run-takeover.js'

export default class Restart extends CodexdCommand {
  static override summary = 'Restart the app-server (clears a crash-loop); starts codexd when nothing runs.'
  static override description = `Ends the child's process group (SIGTERM, SIGKILL after the grace) and starts a new child, returning once it answered initialize. With --server, the supervisor itself is restarted with that choice.`
  static override examples = ['<%= config.bin %> restart', '<%= config.bin %> restart --server builtin']
  static override flags = {
    server: Flags.string({description: 'restart the supervisor with this app-server choice: auto, builtin, codex, or a command'}),
    grace: Flags.integer({description: 'milliseconds between SIGTERM and SIGKILL', min: 0}),
    timeout: Flags.integer({description: 'milliseconds to wait for the new app-server to answer', default: DEFAULT_ENSURE_TIMEOUT_MS, min: 1}),
    json: Flags.boolean({description: 'print the result as JSON', default: false}),
    // codex-daemon (issue 10)
    takeover: Flags.boolean({description: "when codex's managed daemon or an orphaned codexd app-server serves the home, stop it and serve the home with codexd (docs/codex-daemon.md)"}),
    force: Flags.boolean({description: 'with --takeover: also end a server started by hand whose socket and home are this home', dependsOn: ['takeover']}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Restart)
    if (flags.takeover && (await servedByAnother())) return runTakeover({json: flags.json, server: flags.server, timeoutMs: flags.timeout, force: flags.force === true, graceMs: flags.grace})
    const result = await restartSupervisor(homePaths(resolveCodexHome()), {
      server: flags.server,
      graceMs: flags.grace ?? (Number(process.env.CODEXD_STOP_GRACE_MS) || 5000),
      timeoutMs: flags.timeout,
      onProgress: process.stderr.isTTY && !flags.json ? (message) => process.stderr.write(`codexd: ${message}\n`) : undefined,
    })
    const what = {child: 'restarted the app-server', supervisor: 'restarted the supervisor and its app-server', started: 'nothing was running; started codexd'}[result.restarted]
    process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : `${what} for ${result.home} (supervisor pid ${result.supervisorPid}, app-server pid ${result.childPid ?? '?'})\n`)
  }
}
