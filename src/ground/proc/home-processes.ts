import {readdirSync, readFileSync} from 'node:fs'
import {isAlive} from './processes.js'

/** A live process that runs for one CODEX_HOME. */
export interface HomeProcess {
  readonly pid: number
  readonly ppid: number
  readonly argv: readonly string[]
  /** argv joined with spaces, for matching and messages. */
  readonly cmdline: string
}

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return undefined // Gone, or another user's.
  }
}

/**
 * Every live process (but this one) whose environment has CODEX_HOME=home: the supervisor, its
 * app-server and whatever that forked, proxies, and any leftover from a race or a crash. Zombies
 * that hold nothing any more are not counted (see isAlive). Linux only (reads /proc).
 */
export function processesForHome(home: string): HomeProcess[] {
  const needle = `\0CODEX_HOME=${home}\0`
  const found: HomeProcess[] = []
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    if (Number(pid) === process.pid) continue
    const environ = readProc(pid, 'environ')
    if (!environ || !`\0${environ}`.includes(needle)) continue
    const stat = readProc(pid, 'stat')
    const cmdline = readProc(pid, 'cmdline')
    if (!stat || cmdline === undefined) continue
    if (!isAlive(Number(pid))) continue
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const argv = cmdline.split('\0').filter(Boolean)
    found.push({pid: Number(pid), ppid: Number(fields[1]), argv, cmdline: argv.join(' ')})
  }
  return found
}
