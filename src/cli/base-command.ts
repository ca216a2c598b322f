import {Command} from '@oclif/core'
import {reportError} from './report-error.js'

/**
 * Base of every codexd command: a CodexdError becomes one line on stderr (`codexd: ...`) and
 * its documented exit code; anything else is left to oclif (a bug: exit 1 with a stack).
 */
export abstract class CodexdCommand extends Command {
  protected async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    const code = reportError(error)
    return code === undefined ? super.catch(error) : this.exit(code)
  }
}
