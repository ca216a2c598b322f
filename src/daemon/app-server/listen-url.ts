import {isAbsolute, resolve} from 'node:path'
import {usageError} from '../../ground/errors/codexd-error.js'

/** Where the built-in app-server listens. */
export type ListenTarget = {readonly kind: 'stdio'} | {readonly kind: 'unix'; readonly path: string | undefined}

/**
 * Parses `--listen`: `stdio://`, `unix://` (the default control socket of CODEX_HOME) or
 * `unix://PATH` (absolute, or relative to the working directory), as codex accepts them.
 */
export function parseListenUrl(value: string): ListenTarget {
  if (value === 'stdio://' || value === 'stdio') return {kind: 'stdio'}
  if (value.startsWith('unix://')) {
    const rest = value.slice('unix://'.length)
    if (rest === '') return {kind: 'unix', path: undefined}
    if (rest.includes('\0')) throw usageError(`invalid --listen URL '${value}': the path contains a NUL byte`)
    return {kind: 'unix', path: isAbsolute(rest) ? rest : resolve(rest)}
  }
  throw usageError(`invalid --listen URL '${value}': expected stdio://, unix:// or unix://PATH`)
}
