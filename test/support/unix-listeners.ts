import {readFileSync, realpathSync} from 'node:fs'

/** __SO_ACCEPTCON in /proc/net/unix's Flags column: the socket is listening. */
const ACCEPTING = 0x10000

/**
 * How many listening unix sockets the kernel has bound at `path` (Linux /proc/net/unix). Counts
 * a listener even after its socket file was unlinked (an orphaned listener), which a connect()
 * or an ls would miss: exactly what a race produces. A symlink at `path` (codex 0.169, or the
 * long-path fallback) is followed: the kernel lists the socket under the path it was bound at.
 */
export function listenerCount(path: string): number {
  let bound = path
  try {
    bound = realpathSync(path)
  } catch {
    // Nothing there (any more): count listeners still bound at the path itself.
  }
  const table = readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)
  let count = 0
  for (const line of table) {
    const fields = line.trim().split(/\s+/)
    if (fields.length < 8) continue
    const flags = Number.parseInt(fields[3], 16)
    if ((flags & ACCEPTING) !== 0 && (fields[7] === path || fields[7] === bound)) count++
  }
  return count
}
