import {accessSync, constants, statSync} from 'node:fs'
import {resolve} from 'node:path'
import {findOnPath} from '../../ground/children/find-on-path.js'
import {CodexdError, errnoCode} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'

/** The `--server` choices that are not a command. */
const NAMED_CHOICES = new Set(['auto', 'builtin', 'codex'])
/** A first word with any of these is left to the shell: quoting, expansion, redirection. */
const SHELL_SYNTAX = /["'`$\\~*?[\]{}();&|<>=]/

/**
 * Checks, before a supervisor is spawned, that a `--server` command can run: the first word of
 * the command (what `sh -c "exec CMD"` executes) must name an executable file, by path or on
 * PATH. Fails with one line naming the command and the word (exit 8), so a typo starts nothing
 * instead of a supervisor that crash-loops on the shell's exit 127. A first word that uses shell
 * syntax is not checked here (the supervisor's first exit is: see `commandCannotRun`).
 */
export function checkServerCommand(choice: string, env: NodeJS.ProcessEnv = process.env): void {
  if (NAMED_CHOICES.has(choice)) return
  const word = /^\s*(\S+)/.exec(choice)?.[1]
  if (word === undefined || SHELL_SYNTAX.test(word)) return
  const problem = word.includes('/') ? fileProblem(resolve(word)) : findOnPath(word, env) === undefined ? 'is not found on PATH' : undefined
  if (problem === undefined) return
  throw new CodexdError('server-command-unusable', `--server '${choice}': ${word} ${problem}: fix the command (or PATH); nothing was started`, ExitCode.ChildFailed)
}

/** Why `path` cannot be executed, or undefined when it can. */
function fileProblem(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return 'is not a file'
    accessSync(path, constants.X_OK)
    return undefined
  } catch (error) {
    const code = errnoCode(error)
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'does not exist'
    if (code === 'EACCES') return 'is not executable (permission denied)'
    return `cannot be executed (${code})`
  }
}

/** The shell's exit codes for a command it could not run: 127 not found, 126 not executable. */
export function commandCannotRun(code: number | null | undefined): boolean {
  return code === 126 || code === 127
}
