import {usageError} from '../../ground/errors/codexd-error.js'

/** The shells `codexd shell-init` writes a snippet for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

/** Parses a shell name, failing with a usage error that names the accepted ones. */
export function parseShell(name: string): Shell {
  if ((SHELLS as readonly string[]).includes(name)) return name as Shell
  throw usageError(`unknown shell "${name}": use one of ${SHELLS.join(', ')}`)
}
