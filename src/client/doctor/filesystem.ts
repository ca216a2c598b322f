import {statfsSync} from 'node:fs'
import {existingBase} from './existing-base.js'
import {fail, notOnThisPlatform, ok, warn, type DoctorCheck, type DoctorContext} from './types.js'

/** statfs(2) f_type of the network and user-space filesystems where flock(2) and SQLite's WAL are unreliable. */
export const UNRELIABLE_FILESYSTEMS: Readonly<Record<number, string>> = {
  0x6969: 'NFS',
  0x517b: 'SMB',
  0xff534d42: 'CIFS',
  0xfe534d42: 'SMB2',
  0x5346414f: 'AFS',
  0x65735546: 'FUSE',
}

/** Below this much free space a start fails (SQLite, logs, codex's files): a failure. */
export const FREE_SPACE_FAIL_BYTES = 64 * 1024 * 1024
/** Below this much it soon will (codex's managed daemon alone copies about 420 MB): a warning. */
export const FREE_SPACE_WARN_BYTES = 512 * 1024 * 1024
/** Below this many free inodes no new file (lock, socket, database journal) can be made. */
export const FREE_INODES_FAIL = 1000

const MIB = 1024 * 1024

/** CODEX_HOME's filesystem type by statfs(2): network and FUSE filesystems break flock and SQLite WAL. */
export function checkFilesystem(context: DoctorContext): DoctorCheck {
  const id = 'filesystem'
  // The f_type magic numbers are Linux's; other systems name filesystems differently.
  if (process.platform !== 'linux') return notOnThisPlatform(id)
  const base = existingBase(context.home)
  const stats = statfsSync(base)
  const type = `0x${stats.type.toString(16)}`
  const name = UNRELIABLE_FILESYSTEMS[stats.type]
  if (name) {
    return warn(id, `${base} is on ${name} (statfs type ${type}): flock(2) and SQLite's WAL are unreliable there (codex's own users report it: openai/codex#30957, openai/codex#38150)`, 'put CODEX_HOME on a local filesystem (ext4, xfs, btrfs, tmpfs): export CODEX_HOME=/path/on/local/disk')
  }
  return ok(id, `${base} is on a local filesystem (statfs type ${type})`)
}

/** Free space and inodes on CODEX_HOME's filesystem. */
export function checkFreeSpace(context: DoctorContext): DoctorCheck {
  const id = 'free-space'
  const base = existingBase(context.home)
  const stats = statfsSync(base)
  const free = stats.bavail * stats.bsize
  const found = `${Math.floor(free / MIB)} MiB free${stats.files > 0 ? `, ${stats.ffree} inodes free` : ''} on the filesystem of ${base}`
  const fix = 'free space there (codexd logs rotate; look for large files under CODEX_HOME, such as packages/app-server-daemon) or move CODEX_HOME to a larger filesystem'
  if (free < FREE_SPACE_FAIL_BYTES || (stats.files > 0 && stats.ffree < FREE_INODES_FAIL)) return fail(id, `${found}: too little to start (below ${FREE_SPACE_FAIL_BYTES / MIB} MiB or ${FREE_INODES_FAIL} inodes)`, fix)
  if (free < FREE_SPACE_WARN_BYTES) return warn(id, `${found}: below ${FREE_SPACE_WARN_BYTES / MIB} MiB`, fix)
  return ok(id, found)
}
