import {closeSync, constants, fstatSync, openSync, readFileSync} from 'node:fs'

/**
 * The pids that hold a flock on the file open as `fd`, read from /proc/locks (Linux only;
 * empty elsewhere). A pid there is the process that took the lock, which may have exited while
 * a child it forked still holds the descriptor.
 */
export function lockHolders(fd: number): number[] {
  let table: string
  try {
    table = readFileSync('/proc/locks', 'utf8')
  } catch {
    return []
  }
  const stat = fstatSync(fd)
  // The device is printed as hex major:minor (glibc's encoding of st_dev), the inode in decimal.
  const major = ((stat.dev >> 8) & 0xfff) | Math.floor(stat.dev / 2 ** 32) & ~0xfff
  const minor = (stat.dev & 0xff) | ((stat.dev >> 12) & 0xfff00)
  const id = `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}:${stat.ino}`
  const pids = new Set<number>()
  for (const line of table.split('\n')) {
    // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"
    const fields = line.trim().split(/\s+/)
    if (fields[1] !== 'FLOCK' || fields.length < 6) continue
    if (fields[5] !== id) continue
    const pid = Number(fields[4])
    if (Number.isInteger(pid) && pid > 0) pids.add(pid)
  }
  return [...pids]
}

/**
 * The first pid holding a flock on the file at `path` (null when the file is missing or nobody
 * holds it): how clients find a live supervisor whatever happened to its control socket.
 */
export function lockHolderAt(path: string): number | null {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY)
  } catch {
    return null
  }
  try {
    return lockHolders(fd)[0] ?? null
  } finally {
    closeSync(fd)
  }
}
