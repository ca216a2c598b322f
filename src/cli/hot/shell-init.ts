import {currentLauncher} from '../../shell-init/launcher.js'
import {parseShell} from '../../shell-init/shells.js'
import {renderSnippet} from '../../shell-init/snippet.js'

/** `codexd shell-init SHELL`: prints the profile snippet; shared by the oclif command and the fast path. */
export function printShellInit(shellName: string): number {
  process.stdout.write(renderSnippet(parseShell(shellName), currentLauncher()))
  return 0
}
