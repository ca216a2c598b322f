import {oclifFlags, oclifArgs} from '../flags/oclif.js'
import {SHELL_INIT} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {runShellInit} from '../hot/shell-init.js'

export default class ShellInit extends CodexdCommand {
  static override summary = 'Print (or write) a shell-profile snippet that starts codexd in the background.'
  static override description = `The snippet runs only in interactive shells, starts \`codexd start\` in the background outside the shell's job table, prints nothing and never fails the shell (codexd, node or CODEX_HOME missing). Opt out with CODEXD_NO_AUTOSTART=1. It embeds the absolute paths of this node and codexd, resolved now. --write puts it in ~/.config/codexd/init.SHELL (faster to source than eval) and prints the line to add to the profile. See docs/shell-init.md.`
  static override examples = [
    'eval "$(<%= config.bin %> shell-init bash)"    # in ~/.bashrc',
    '<%= config.bin %> shell-init zsh --write       # then source ~/.config/codexd/init.zsh from ~/.zshrc',
    '<%= config.bin %> shell-init fish | source     # in ~/.config/fish/config.fish',
  ]
  static override args = oclifArgs(SHELL_INIT)
  static override flags = oclifFlags(SHELL_INIT)

  async run(): Promise<void> {
    const {args, flags} = this.parseTable(SHELL_INIT)
    await runShellInit({shell: args.shell, write: flags.write})
  }
}
