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
  return (socketsAt(path) ?? []).filter((record) => (record.flags & ACCEPTING) !== 0).map((record) => record.inode)
}

/** /proc/net/unix's St column: SS_CONNECTING (queued, not accepted yet) and SS_CONNECTED. */
const CONNECTING = 0x02
const CONNECTED = 0x03

/**
 * How many clients are connected to the unix socket listening at `path` (Linux /proc/net/unix):
 * the kernel lists each server-side socket of a connection under its listener's path, in state
 * CONNECTING (St 02) while it waits in the accept queue and CONNECTED (St 03) once accepted; the
 * clients' own sockets are unnamed. A symlink at `path` is followed, as for
 * listeningSocketInodes. Null without /proc: unknown, which is not none.
 */
export function connectedClientCount(path: string): number | null {
  const records = socketsAt(path)
  return records && records.filter((record) => (record.flags & ACCEPTING) === 0 && (record.state === CONNECTED || record.state === CONNECTING)).length
}

/** The rows of /proc/net/unix whose path is `path` or what it resolves to; null without /proc. */
function socketsAt(path: string): Array<{flags: number; state: number; inode: string; path: string}> | null {
  let bound = path
  try {
    bound = realpathSync(path)
  } catch {
    // Nothing there (any more): look for sockets still bound at the path itself.
  }
  let table: string
  try {
    table = readFileSync('/proc/net/unix', 'utf8')
  } catch {
    return null
  }
  return unixSocketRecords(table).filter((record) => record.path === path || record.path === bound)
}

/**
 * One row of /proc/net/unix: "Num RefCount Protocol Flags Type St Inode Path", the path printed
 * raw after one space. A path may hold spaces, runs of blanks and even newlines, so a row is cut
 * where the next one starts (a kernel address and the fixed-width columns), never at every
 * newline, and the path is the rest of the row as it is.
 */
const ROW = /^[0-9a-f]+: [0-9A-F]{8} [0-9A-F]{8} ([0-9A-F]{8}) [0-9A-F]{4} ([0-9A-F]{2}) +(\d+)(?: ([\s\S]*))?$/
const ROW_START = /\n(?=[0-9a-f]+: [0-9A-F]{8} [0-9A-F]{8} [0-9A-F]{8} [0-9A-F]{4} [0-9A-F]{2} +\d+(?: |\n|$))/

function unixSocketRecords(table: string): Array<{flags: number; state: number; inode: string; path: string}> {
  const body = table.slice(table.indexOf('\n') + 1).replace(/\n$/, '')
  return body.split(ROW_START).flatMap((row) => {
    const match = ROW.exec(row)
    return match ? [{flags: Number.parseInt(match[1], 16), state: Number.parseInt(match[2], 16), inode: match[3], path: match[4] ?? ''}] : []
  })
}

/** How many listening unix sockets are bound at `path` (see listeningSocketInodes). */
export function listenerCount(path: string): number {
  return listeningSocketInodes(path).length
}
