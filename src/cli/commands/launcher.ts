import {oclifFlags} from '../flags/oclif.js'
import {LAUNCHER} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {currentLauncher} from '../../client/install/launcher.js'
import {launcherScriptPath, renderLauncherScript, writeLauncherScript} from '../../client/install/ssh-launcher.js'
import {remoteCommandLines} from '../../client/install/remote-command.js'

export default class Launcher extends CodexdCommand {
  static override summary = 'Print (or write) the launcher: codexd with this node baked in, for ssh remote commands.'
  static override description = `A non-interactive \`ssh host CMD\` often has no node on its PATH (nvm, fnm, volta, asdf). The launcher is a /bin/sh script at a stable absolute path ($XDG_DATA_HOME/codexd/bin/codexd, default ~/.local/share/codexd/bin/codexd) that runs this node and this codexd by absolute path. --write writes it (mode 0755; again after moving or upgrading node or codexd: it rewrites only its own file) and prints the remote commands to use. \`codexd doctor\` checks it. See docs/remote.md.`
  static override examples = [
    '<%= config.bin %> launcher --write',
    "ssh host '~/.local/share/codexd/bin/codexd proxy --autostart'",
  ]
  static override flags = oclifFlags(LAUNCHER)

  async run(): Promise<void> {
    const {flags} = this.parseTable(LAUNCHER)
    if (flags.path && flags.write) throw new CodexdError('usage', '--path and --write cannot be used together: use codexd launcher --write, then codexd launcher --path', ExitCode.Usage)
    if (flags.path) {
      process.stdout.write(`${launcherScriptPath()}\n`)
      return
    }
    if (!flags.write) {
      process.stdout.write(renderLauncherScript(currentLauncher()))
      return
    }
    const written = writeLauncherScript(currentLauncher())
    process.stdout.write(`${written.outcome === 'unchanged' ? 'up to date' : written.outcome}: ${written.path}\n${remoteCommandLines(written.path)}`)
  }
}
