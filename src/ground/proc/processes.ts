import {readdirSync, readFileSync, readlinkSync} from 'node:fs'
import {listeningSocketInodes} from './unix-listeners.js'

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

/**
 * True while a live process of group `pgid` exists. Zombies do not count: an exited grandchild
 * that was reparented stays in the group until init reaps it (seconds, for the `git` zombies
 * codex leaves at startup), yet it holds no socket, file or CPU, so waiting for it only delays a
 * stop. Without /proc, any member counts.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  const members = groupMemberStates(pgid)
  return members === undefined || members.some((state) => state !== 'Z' && state !== 'X')
}

/** The states (R, S, Z, ...) of the processes of group `pgid`; undefined without /proc. */
function groupMemberStates(pgid: number): string[] | undefined {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return undefined
  }
  const states: string[] = []
  for (const entry of entries) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    const fields = statFields(pid)
    if (fields !== undefined && Number(fields[2]) === pgid) states.push(fields[0])
  }
  return states
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

/**
 * The pids of processes holding a listening unix socket bound at `path` (Linux: /proc/net/unix
 * inodes matched against /proc/<pid>/fd links). Empty when none is found or /proc is unavailable;
 * only processes of this user are visible.
 */
export function listenerPids(path: string): number[] {
  const inodes = listeningSocketInodes(path)
  if (inodes.length === 0) return []
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
 * a detached supervisor is reparented to an init that may reap only now and then) counts as gone,
 * but only once it holds no descriptors: a killed multithreaded process (node) shows its leader as
 * a zombie while its other threads are still exiting with its sockets open.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  return statFields(pid)?.[0] !== 'Z' || holdsDescriptors(pid)
}

function holdsDescriptors(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).length > 0
  } catch {
    return false
  }
}
