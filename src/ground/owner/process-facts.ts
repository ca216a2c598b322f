import {readdirSync, readFileSync, readlinkSync, realpathSync} from 'node:fs'
import {startTicks} from '../proc/processes.js'

/** What /proc says about one process: enough to tell who started it and for which home. */
export interface ProcessFacts {
  readonly pid: number
  readonly ppid: number | null
  readonly pgid: number | null
  readonly argv: readonly string[]
  /** The resolved executable (/proc/PID/exe), null when unreadable (another user's). */
  readonly exe: string | null
  /** Field 22 of /proc/PID/stat: with the pid and the boot id, names one process across pid reuse. */
  readonly startTicks: string | null
  /** The variables codexd cares about from /proc/PID/environ. */
  readonly env: {readonly CODEX_HOME?: string; readonly HOME?: string}
}

function read(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return undefined // gone, or another user's
  }
}

/** The facts about `pid`, or undefined when it does not exist (or its /proc entry is unreadable). */
export function processFacts(pid: number): ProcessFacts | undefined {
  const stat = read(pid, 'stat')
  const cmdline = read(pid, 'cmdline')
  if (stat === undefined || cmdline === undefined) return undefined
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  let exe: string | null = null
  try {
    exe = readlinkSync(`/proc/${pid}/exe`)
  } catch {
    // another user's, or a kernel thread
  }
  const env: {CODEX_HOME?: string; HOME?: string} = {}
  for (const entry of (read(pid, 'environ') ?? '').split('\0')) {
    if (entry.startsWith('CODEX_HOME=')) env.CODEX_HOME = entry.slice('CODEX_HOME='.length)
    else if (entry.startsWith('HOME=')) env.HOME = entry.slice('HOME='.length)
  }
  return {pid, ppid: Number(fields[1]) || null, pgid: Number(fields[2]) || null, argv: cmdline.split('\0').filter(Boolean), exe, startTicks: startTicks(pid), env}
}

/** This boot's id (/proc/sys/kernel/random/boot_id), which codex records beside start ticks. */
export function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  } catch {
    return null
  }
}

/** Every pid in /proc (a snapshot; empty without /proc). */
export function allPids(): number[] {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number)
  } catch {
    return []
  }
}

/** True when `a` and `b` name the same directory (symlinks resolved where possible). */
export function sameDir(a: string, b: string): boolean {
  return resolvedPath(a) === resolvedPath(b)
}

function resolvedPath(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path.replace(/\/+$/, '')
  }
}
