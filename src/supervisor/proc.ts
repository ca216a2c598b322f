import {readdirSync, readFileSync, readlinkSync} from 'node:fs'

/** Linux /proc readers: process identity, process groups, and who listens on a unix socket. */

/** The fields of /proc/<pid>/stat after the command name (which may contain spaces). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

/** The process start time in clock ticks since boot: with the pid, identifies a process across pid reuse. */
export function startTicks(pid: number): string | null {
  return statFields(pid)?.[19] ?? null
}

/** The process group of `pid`, or undefined when it does not exist (or /proc is absent). */
export function processGroupOf(pid: number): number | undefined {
  const group = statFields(pid)?.[2]
  return group === undefined ? undefined : Number(group)
}

/** True while any process of group `pgid` exists. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Sends `signal` to every process of group `pgid`; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal)
    return true
  } catch {
    return false
  }
}

/** Socket inodes of unix sockets listening on exactly `path` (from /proc/net/unix). */
function listeningInodes(path: string): Set<string> {
  const inodes = new Set<string>()
  let table: string
  try {
    table = readFileSync('/proc/net/unix', 'utf8')
  } catch {
    return inodes
  }
  for (const line of table.split('\n').slice(1)) {
    // "Num RefCount Protocol Flags Type St Inode Path"; flag 0x10000 is __SO_ACCEPTCON (listening).
    const fields = line.trim().split(/\s+/)
    if (fields.length < 8) continue
    if ((Number.parseInt(fields[3], 16) & 0x10000) === 0) continue
    if (fields.slice(7).join(' ') === path) inodes.add(fields[6])
  }
  return inodes
}

/**
 * The pids of processes holding a listening unix socket bound at `path` (Linux: /proc/net/unix
 * inodes matched against /proc/<pid>/fd links). Empty when none is found or /proc is unavailable;
 * only processes of this user are visible.
 */
export function listenerPids(path: string): number[] {
  const inodes = listeningInodes(path)
  if (inodes.size === 0) return []
  const wanted = new Set([...inodes].map((inode) => `socket:[${inode}]`))
  const pids: number[] = []
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return pids
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${entry}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      try {
        if (wanted.has(readlinkSync(`/proc/${entry}/fd/${fd}`))) {
          pids.push(Number(entry))
          break
        }
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  return pids.sort((a, b) => a - b)
}

/**
 * True while a process with this pid exists and has not exited. A zombie (exited, not yet reaped:
 * a detached supervisor is reparented to an init that may reap only now and then) counts as gone.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  return statFields(pid)?.[0] !== 'Z'
}
