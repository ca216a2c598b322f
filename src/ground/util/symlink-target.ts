import {lstatSync, readlinkSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {errnoCode} from '../errors/codexd-error.js'

/**
 * Where the symlink at `path` points, as an absolute path (a relative target is taken from the
 * link's directory); undefined when nothing is at `path` or it is not a symlink. Other failures
 * (a permission error) throw: a caller must not mistake an unreadable link for no link.
 */
export function symlinkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? resolve(dirname(path), readlinkSync(path)) : undefined
  } catch (error) {
    const code = errnoCode(error)
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EINVAL') return undefined
    throw error
  }
}
