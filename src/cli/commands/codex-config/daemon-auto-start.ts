import {oclifArgs, oclifFlags} from '../../flags/oclif.js'
import {CODEX_CONFIG_DAEMON_AUTO_START} from '../../flags/tables.js'
import {readFileSync} from 'node:fs'
import {CodexdCommand} from '../../base-command.js'
import {codexConfigPath, readDaemonAutoStart, writeDaemonAutoStart} from '../../../client/codex-config/daemon-auto-start.js'
import {resolveCodexHome} from '../../../ground/home/codex-home.js'

export default class DaemonAutoStart extends CodexdCommand {
  static override summary = "Turn codex's own daemon auto-start off or on for this CODEX_HOME (shows it without an argument)."
  static override description = `Edits only [features] daemon_auto_start in $CODEX_HOME/config.toml; every other byte of the file stays. off: the codex TUI no longer starts its managed daemon (it still attaches to a server that listens, such as codexd's). on: restores codex's default. See docs/codex-daemon.md.`
  static override examples = ['<%= config.bin %> codex-config daemon-auto-start off', '<%= config.bin %> codex-config daemon-auto-start on', '<%= config.bin %> codex-config daemon-auto-start']
  static override args = oclifArgs(CODEX_CONFIG_DAEMON_AUTO_START)
  static override flags = oclifFlags(CODEX_CONFIG_DAEMON_AUTO_START)

  async run(): Promise<void> {
    const {args, flags} = this.parseTable(CODEX_CONFIG_DAEMON_AUTO_START)
    const home = resolveCodexHome()
    if (args.state === undefined) {
      const path = codexConfigPath(home)
      let text = ''
      try {
        text = readFileSync(path, 'utf8')
      } catch {
        // no config: codex's default
      }
      const on = readDaemonAutoStart(text) ?? true
      process.stdout.write(flags.json ? `${JSON.stringify({path, daemonAutoStart: on, changed: false})}\n` : `daemon_auto_start is ${on ? 'on' : 'off'} in ${path}\n`)
      return
    }
    const result = writeDaemonAutoStart(home, args.state === 'on')
    process.stdout.write(flags.json ? `${JSON.stringify({path: result.path, daemonAutoStart: result.after, changed: result.changed})}\n` : `daemon_auto_start ${result.changed ? `turned ${args.state}` : `already ${args.state}`} in ${result.path}\n`)
  }
}
