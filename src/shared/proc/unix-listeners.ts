import {readFileSync, realpathSync} from 'node:fs'

/** __SO_ACCEPTCON in /proc/net/unix's Flags column: the socket is listening. */
const ACCEPTING = 0x10000

/**
 * Socket inodes of the unix sockets the kernel has listening at `path` (Linux /proc/net/unix),
 * one per listener: an orphaned listener whose file was unlinked still counts, which a connect()
 * or an ls would miss. A symlink at `path` (codex 0.169, the long-path fallback) is followed,
 * since the kernel lists a socket under the path it was bound at. Empty without /proc.
 */
export function listeningSocketInodes(path: string): string[] {
  let bound = path
  try {
    bound = realpathSync(path)
  } catch {
    // Nothing there (any more): look for listeners still bound at the path itself.
  }
  let table: string
  try {
    table = readFileSync('/proc/net/unix', 'utf8')
  } catch {
    return []
  }
  const inodes: string[] = []
  for (const line of table.split('\n').slice(1)) {
    // "Num RefCount Protocol Flags Type St Inode Path"
    const fields = line.trim().split(/\s+/)
    if (fields.length < 8 || (Number.parseInt(fields[3], 16) & ACCEPTING) === 0) continue
    const socketPath = fields.slice(7).join(' ')
    if (socketPath === path || socketPath === bound) inodes.push(fields[6])
  }
  return inodes
}

/** How many listening unix sockets are bound at `path` (see listeningSocketInodes). */
export function listenerCount(path: string): number {
  return listeningSocketInodes(path).length
}
