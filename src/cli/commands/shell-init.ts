import {Args, Flags} from '@oclif/core'
import {CodexdCommand} from '../base-command.js'
import {currentLauncher} from '../../client/install/launcher.js'
import {writeInitFile} from '../../client/shell-init/init-file.js'
import {parseShell, SHELLS} from '../../client/shell-init/shells.js'
import {printShellInit} from '../hot/shell-init.js'

export default class ShellInit extends CodexdCommand {
  static override summary = 'Print (or write) a shell-profile snippet that starts codexd in the background.'
  static override description = `The snippet runs only in interactive shells, starts \`codexd start\` in the background outside the shell's job table, prints nothing and never fails the shell (codexd, node or CODEX_HOME missing). Opt out with CODEXD_NO_AUTOSTART=1. It embeds the absolute paths of this node and codexd, resolved now. --write puts it in ~/.config/codexd/init.SHELL (faster to source than eval) and prints the line to add to the profile. See docs/shell-init.md.`
  static override examples = [
    'eval "$(<%= config.bin %> shell-init bash)"    # in ~/.bashrc',
    '<%= config.bin %> shell-init zsh --write       # then source ~/.config/codexd/init.zsh from ~/.zshrc',
    '<%= config.bin %> shell-init fish | source     # in ~/.config/fish/config.fish',
  ]
  static override args = {
    shell: Args.string({description: `the shell: ${SHELLS.join(', ')}`, required: true}),
  }
  static override flags = {
    write: Flags.boolean({description: 'write the snippet to ~/.config/codexd/init.SHELL instead of printing it'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ShellInit)
    const shell = parseShell(args.shell)
    if (!flags.write) {
      printShellInit(shell)
      return
    }
    const written = writeInitFile(shell, currentLauncher())
    process.stdout.write(`${written.outcome === 'unchanged' ? 'up to date' : written.outcome}: ${written.path}\nadd this line to ${written.profile}:\n  ${written.sourceLine}\n`)
  }
}
