import {statSync} from 'node:fs'

/** The inode of what `path` names (following symlinks), or undefined when it does not exist. */
export function inodeOf(path: string): number | undefined {
  try {
    return statSync(path).ino
  } catch {
    return undefined
  }
}
