import {join} from 'node:path'
import {codexdConfigDir} from '../install/user-dirs.js'
import {writeGeneratedFile, type WriteOutcome} from '../install/generated-file.js'
import type {Launcher} from '../install/launcher.js'
import {quoteWord} from './quote.js'
import {renderSnippet} from './snippet.js'
import type {Shell} from './shells.js'

/** The profile each shell reads at interactive startup, as a user would write it. */
const PROFILE: Record<Shell, string> = {bash: '~/.bashrc', zsh: '~/.zshrc', fish: '~/.config/fish/config.fish'}

/** Where `codexd shell-init SHELL --write` puts the snippet: `~/.config/codexd/init.SHELL`. */
export function initFilePath(shell: Shell, env: NodeJS.ProcessEnv = process.env): string {
  return join(codexdConfigDir(env), `init.${shell}`)
}

/** The line that sources the generated file from the profile; harmless when the file is gone. */
export function sourceLine(shell: Shell, path: string): string {
  const quoted = quoteWord(shell, path)
  return shell === 'fish' ? `test -f ${quoted}; and source ${quoted}` : `if [ -f ${quoted} ]; then . ${quoted}; fi`
}

/** What `--write` did, for the command to report. */
export interface WrittenInitFile {
  readonly path: string
  readonly outcome: WriteOutcome
  readonly profile: string
  readonly sourceLine: string
}

/**
 * Writes the snippet to the init file (idempotent; refuses a file codexd did not write) and
 * says which line to add to which profile.
 */
export function writeInitFile(shell: Shell, launcher: Launcher, env: NodeJS.ProcessEnv = process.env): WrittenInitFile {
  const path = initFilePath(shell, env)
  const outcome = writeGeneratedFile(path, renderSnippet(shell, launcher))
  return {path, outcome, profile: PROFILE[shell], sourceLine: sourceLine(shell, path)}
}
