import {Command, Errors} from '@oclif/core'
import {ExitCode} from '../ground/errors/exit-codes.js'
import {parseCommandLine} from './flags/parse.js'
import type {CommandTable, Parsed} from './flags/table.js'
import {reportError} from './report-error.js'

/**
 * Base of every codexd command: flags are parsed from the command's table (the same parser as
 * the fast path); a CodexdError becomes one line on stderr (`codexd: ...`) and its documented
 * exit code; a refusal of oclif's own parser (a command not yet on a table) becomes one usage
 * line (exit 2); anything else is left to oclif (a bug: exit 1 with a stack).
 */
export abstract class CodexdCommand extends Command {
  /** Parses this command's argv against its table: typed values, or a one-line usage error. */
  protected parseTable<T extends CommandTable>(table: T): Parsed<T> {
    return parseCommandLine(table, this.argv)
  }

  protected async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    const code = reportError(error)
    if (code !== undefined) return this.exit(code)
    if (isParseError(error)) {
      process.stderr.write(`codexd: ${oneLine(error.message)}: see codexd ${this.id?.replaceAll(':', ' ')} --help\n`)
      return this.exit(ExitCode.Usage)
    }
    return super.catch(error)
  }
}

/**
 * oclif's parser errors: unknown flags and missing arguments carry the parse they failed; a value
 * a flag's own parser refused is re-thrown as a plain Error whose message starts "Parsing --NAME".
 */
function isParseError(error: Error): boolean {
  return (error instanceof Errors.CLIError && 'parse' in error) || /^Parsing --[\w-]+ *\n/.test(error.message)
}

/** The parser's message on one line, without its "See more help" trailer. */
function oneLine(message: string): string {
  return message.replace(/\n?See more help with --help\s*$/, '').split('\n').map((line) => line.trim()).filter(Boolean).join(' ')
}
