import {readdirSync, readFileSync} from 'node:fs'

/** A process that runs for one CODEX_HOME. */
export interface HomeProcess {
  readonly pid: number
  readonly ppid: number
  readonly argv: readonly string[]
}

/** True where the process table can be read with environments (Linux /proc). */
export const CENSUS_AVAILABLE = process.platform === 'linux'

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return undefined // Gone, or another user's.
  }
}

/**
 * Every process (but this one) whose environment has CODEX_HOME=home: the supervisor, its
 * app-server and whatever that forked, and any leftover from a race or a crash. Linux only.
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
    // Zombies have an empty cmdline and are not running anything.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (fields[0] === 'Z') continue
    found.push({pid: Number(pid), ppid: Number(fields[1]), argv: cmdline.split('\0').filter(Boolean)})
  }
  return found
}

/** The processes in `all` that descend from `root` (root included). */
export function descendants(all: readonly HomeProcess[], root: number): Set<number> {
  const tree = new Set<number>([root])
  for (let grew = true; grew; ) {
    grew = false
    for (const p of all) if (!tree.has(p.pid) && tree.has(p.ppid)) tree.add(p.pid), (grew = true)
  }
  return tree
}
