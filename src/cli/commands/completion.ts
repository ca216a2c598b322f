import {oclifArgs, oclifFlags} from '../flags/oclif.js'
import {COMPLETION} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {completionModel} from '../completion/model.js'
import {completionScript, type CompletionShell} from '../completion/scripts.js'

export default class Completion extends CodexdCommand {
  static override summary = 'Print a shell completion script for bash, zsh or fish.'
  static override description = 'Completes commands, flags, and the choices of flag values and arguments, generated from the same flag tables the commands parse with. See docs/cli.md.'
  static override examples = [
    'source <(<%= config.bin %> completion bash)    # in ~/.bashrc',
    'source <(<%= config.bin %> completion zsh)     # in ~/.zshrc, after compinit',
    '<%= config.bin %> completion fish | source     # in ~/.config/fish/config.fish',
  ]
  static override args = oclifArgs(COMPLETION)
  static override flags = oclifFlags(COMPLETION)

  async run(): Promise<void> {
    const {args} = this.parseTable(COMPLETION)
    process.stdout.write(completionScript(args.shell as CompletionShell, completionModel(this.config.commands)))
  }
}
