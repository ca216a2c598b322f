import {loadHelpClass, type Hook} from '@oclif/core'
import {ExitCode} from '../../shared/errors/exit-codes.js'

/**
 * `codexd help [COMMAND]` shows oclif's help, as `--help` does. Any other unknown command is a
 * usage error like the rest: one line naming what was typed and the way out, exit 2 (instead of
 * oclif's own boxed error). Registered in package.json `oclif.hooks`.
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
  process.stderr.write(`codexd: unknown command "${words.join(' ')}": run codexd --help to see the commands\n`)
  this.exit(ExitCode.Usage)
}

export default commandNotFound
