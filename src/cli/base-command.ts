import {Command} from '@oclif/core'
import {CodexdError} from '../errors/codexd-error.js'

/**
 * Base of every codexd command: a CodexdError becomes one line on stderr (`codexd: ...`) and
 * its documented exit code; anything else is left to oclif (a bug: exit 1 with a stack).
 */
export abstract class CodexdCommand extends Command {
  protected async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (error instanceof CodexdError) {
      process.stderr.write(`codexd: ${error.message}\n`)
      return this.exit(error.exitCode)
    }
    return super.catch(error)
  }
}
