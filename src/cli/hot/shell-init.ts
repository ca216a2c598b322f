import {currentLauncher} from '../../client/install/launcher.js'
import {parseShell} from '../../client/shell-init/shells.js'
import {renderSnippet} from '../../client/shell-init/snippet.js'

/** `codexd shell-init SHELL`: prints the profile snippet; shared by the oclif command and the fast path. */
export function printShellInit(shellName: string): number {
  process.stdout.write(renderSnippet(parseShell(shellName), currentLauncher()))
  return 0
}
