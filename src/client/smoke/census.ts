import type {HomeProcess} from '../../ground/proc/home-processes.js'

export {processesForHome, type HomeProcess} from '../../ground/proc/home-processes.js'

/** True where the process table can be read with environments (Linux /proc). */
export const CENSUS_AVAILABLE = process.platform === 'linux'

/** The processes in `all` that descend from `root` (root included). */
export function descendants(all: readonly HomeProcess[], root: number): Set<number> {
  const tree = new Set<number>([root])
  for (let grew = true; grew; ) {
    grew = false
    for (const p of all) if (!tree.has(p.pid) && tree.has(p.ppid)) tree.add(p.pid), (grew = true)
  }
  return tree
}
