import type {Command} from '@oclif/core'

/** What a completion script needs of one command (from its table, through oclif's manifest). */
export interface CompletionCommand {
  /** Words separated by spaces: "service install". */
  readonly id: string
  readonly summary: string
  readonly flags: readonly CompletionFlag[]
  /** The choices of each positional argument, in order (empty: anything). */
  readonly args: readonly (readonly string[])[]
}

export interface CompletionFlag {
  readonly name: string
  readonly char?: string
  readonly takesValue: boolean
  readonly options: readonly string[]
  readonly description: string
}

/**
 * The visible commands and flags oclif knows (each generated from its table, src/cli/flags/),
 * plus -h/--help, which every command takes.
 */
export function completionModel(commands: readonly Command.Cached[]): CompletionCommand[] {
  return commands
    .filter((command) => !command.hidden)
    .map((command) => ({
      id: command.id.replaceAll(':', ' '),
      summary: oneLine(command.summary ?? command.description ?? ''),
      flags: [
        ...Object.values(command.flags)
          .filter((flag) => !flag.hidden)
          .map((flag) => ({name: flag.name, char: flag.char, takesValue: flag.type === 'option', options: flag.type === 'option' ? (flag.options ?? []) : [], description: oneLine(flag.summary ?? flag.description ?? '')})),
        {name: 'help', char: 'h', takesValue: false, options: [], description: 'show the help of this command'},
      ],
      args: Object.values(command.args).map((arg) => arg.options ?? []),
    }))
    .sort((a, b) => a.id.localeCompare(b.id))
}

function oneLine(text: string): string {
  return text.split('\n')[0].trim()
}
