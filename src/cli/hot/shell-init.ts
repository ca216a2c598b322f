import {currentLauncher} from '../../client/install/launcher.js'
import {parseShell} from '../../client/shell-init/shells.js'
import {renderSnippet} from '../../client/shell-init/snippet.js'

export interface ShellInitOptions {
  readonly shell: string
  readonly write: boolean
}

/** `codexd shell-init SHELL [--write]`: prints the profile snippet, or writes it and says what to source. */
export async function runShellInit(options: ShellInitOptions): Promise<number> {
  const shell = parseShell(options.shell)
  if (!options.write) {
    process.stdout.write(renderSnippet(shell, currentLauncher()))
    return 0
  }
  // Loaded only here: printing the snippet (what a profile evals) stays as small as it was.
  const {writeInitFile} = await import('../../client/shell-init/init-file.js')
  const written = writeInitFile(shell, currentLauncher())
  process.stdout.write(`${written.outcome === 'unchanged' ? 'up to date' : written.outcome}: ${written.path}\nadd this line to ${written.profile}:\n  ${written.sourceLine}\n`)
  return 0
}
