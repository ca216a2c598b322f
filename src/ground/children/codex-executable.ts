import {existsSync, lstatSync, readlinkSync, statSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'

/** More links than this in a chain is a loop (the kernel's own limit is 40). */
const MAX_LINKS = 40
/** How far up from a link or the file the package root (a dir with package.json) is looked for. */
const PACKAGE_ROOT_LEVELS = 4

/**
 * The symlink chain from `path` to the file it finally names: `path` itself, then each link's
 * target, resolved against the link's directory. `npm i -g` installs `<prefix>/bin/codex` as a
 * link into the package, so an upgrade changes a link, the file, or a directory above them.
 */
export function linkChain(path: string): string[] {
  const chain = [resolve(path)]
  for (let i = 0; i < MAX_LINKS; i++) {
    const current = chain[chain.length - 1]
    let target: string
    try {
      if (!lstatSync(current).isSymbolicLink()) break
      target = readlinkSync(current)
    } catch {
      break // gone (mid-install): the fingerprint says so
    }
    chain.push(resolve(dirname(current), target))
  }
  return chain
}

/**
 * What identifies the installed executable at `path` without running it: the inode of every
 * link of its chain and the final file's inode, size and mtime. Any way of replacing the install
 * (a new link, a file renamed over, a package directory swapped) changes it. Cheap (a few
 * lstat calls), so it can be compared on every probe as well as on a watcher event.
 */
export function executableFingerprint(path: string): string {
  return linkChain(path)
    .map((link, index, chain) => {
      try {
        const stat = index === chain.length - 1 ? statSync(link) : lstatSync(link)
        return `${link}:${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`
      } catch {
        return `${link}:missing`
      }
    })
    .join('|')
}

/** What to watch for the executable at `path`: directories (depth 0), and the entries in them that matter. */
export interface WatchTargets {
  readonly dirs: string[]
  /** Every link of the chain and each package root: any other entry of `dirs` is ignored. */
  readonly entries: ReadonlySet<string>
}

/**
 * The directories whose entries change when the executable at `path` is replaced: the directory
 * of every link of its chain, and for each the parent of its package root (the nearest directory
 * above with a package.json, within a few levels), where npm swaps the whole package directory.
 * Watching these (depth 0, only the entries that are links or package roots) is enough to notice
 * an upgrade without watching a package's tree or the other files of /usr/bin.
 */
export function executableWatchTargets(path: string): WatchTargets {
  const dirs = new Set<string>()
  const entries = new Set<string>()
  for (const link of linkChain(path)) {
    entries.add(link)
    let dir = dirname(link)
    dirs.add(dir)
    for (let level = 0; level < PACKAGE_ROOT_LEVELS && dir !== dirname(dir); level++, dir = dirname(dir)) {
      if (existsSync(join(dir, 'package.json'))) {
        entries.add(dir)
        dirs.add(dirname(dir))
        break
      }
    }
  }
  return {dirs: [...dirs].filter((dir) => existsSync(dir)), entries}
}
