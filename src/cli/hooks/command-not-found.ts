import {loadHelpClass, type Hook} from '@oclif/core'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {closestCommand} from './closest.js'

/**
 * `codexd help [COMMAND]` shows oclif's help, as `--help` does. Any other unknown command is a
 * usage error like the rest: one line naming what was typed, the closest command when one is
 * near ("did you mean status?") and the way out, exit 2 (instead of oclif's own boxed error).
 * Registered in package.json `oclif.hooks`.
 */
const commandNotFound: Hook<'command_not_found'> = async function ({id, argv}) {
  // With spaces as the topic separator, `codexd help proxy` arrives as the id `help:proxy`.
  const [first, ...rest] = id.split(':')
  const words = first === 'help' ? [...rest, ...(argv ?? [])] : [first, ...rest]
  if (first === 'help') {
    const Help = await loadHelpClass(this.config)
    try {
      await new Help(this.config).showHelp(words)
      return
    } catch {
      // `codexd help <unknown>`: the same one line as below.
    }
  }
  const typed = words.join(' ')
  const commands = this.config.commands.filter((command) => !command.hidden).map((command) => command.id)
  const known = [...commands, ...this.config.topics.map((topic) => topic.name), 'help'].map((name) => name.replaceAll(':', ' '))
  const near = closestCommand(typed, known)
  const hint = near === undefined ? '' : ` did you mean ${near}?`
  process.stderr.write(`codexd: unknown command "${typed}":${hint} run codexd --help to see the commands\n`)
  this.exit(ExitCode.Usage)
}

export default commandNotFound
