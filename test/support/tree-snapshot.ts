import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {lstatSync, readdirSync, readFileSync, readlinkSync} from 'node:fs'
import {join, relative} from 'node:path'

/** Every entry under a directory (symlinks not followed): kind, owner, mode, and content or target. */
export type TreeSnapshot = Map<string, string>

/** Records what is under `root` (and `root` itself), to show later that nothing was deleted or changed. */
export function snapshotTree(root: string): TreeSnapshot {
  const entries: TreeSnapshot = new Map()
  const visit = (path: string) => {
    const stat = lstatSync(path)
    const kind = stat.isSymbolicLink() ? `link->${readlinkSync(path)}` : stat.isDirectory() ? 'dir' : stat.isSocket() ? 'socket' : stat.isFile() ? `file:${createHash('sha256').update(readFileSync(path)).digest('hex')}` : 'other'
    entries.set(relative(root, path) || '.', `${kind} uid=${stat.uid} mode=${(stat.mode & 0o7777).toString(8)}`)
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name))
  }
  visit(root)
  return entries
}

/** Every entry of `before` is still under `root`, unchanged (new entries are allowed). */
export function assertNothingLost(before: TreeSnapshot, root: string): void {
  const now = snapshotTree(root)
  for (const [path, entry] of before) assert.equal(now.get(path), entry, `${path} under ${root} is unchanged`)
}
