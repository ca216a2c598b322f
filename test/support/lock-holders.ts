import {closeSync, existsSync, openSync} from 'node:fs'
import {lockHolders} from '../../src/ground/lock/flock.js'

/** The pids holding a flock on the file at `path` (/proc/locks); [] when none or no file. */
export function lockHolderPids(path: string): number[] {
  if (!existsSync(path)) return []
  const fd = openSync(path, 'r')
  try {
    return lockHolders(fd)
  } finally {
    closeSync(fd)
  }
}
