import {closeSync, lstatSync, openSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {lockHolders} from '../../ground/lock/flock.js'
import {listenerCount} from '../../ground/proc/unix-listeners.js'
import {notOnThisPlatform, ok, warn, type DoctorCheck, type DoctorContext} from './types.js'

/** Where codex (0.169 on) binds the sockets of homes whose socket path is too long, per user. */
export function codexDaemonTmpDir(uid: number): string {
  return `/tmp/codex-daemon-${uid}`
}

/** True while some process holds a flock on `path` (read from /proc/locks). */
function lockHeld(path: string): boolean {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return false
  }
  try {
    return lockHolders(fd).length > 0
  } finally {
    closeSync(fd)
  }
}

/**
 * Stale entries in /tmp/codex-daemon-<uid>/: a `<hash>` socket nobody listens on (and whose
 * `<hash>.lock` nobody holds), left by a codex that was killed. Harmless to remove; codex
 * refuses nothing because of them, but they pile up.
 */
export function checkCodexDaemonTmp(context: DoctorContext): DoctorCheck {
  const id = 'codex-daemon-tmp'
  if (process.platform !== 'linux') return notOnThisPlatform(id)
  const dir = codexDaemonTmpDir(context.uid)
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return ok(id, `${dir} does not exist`)
  }
  const stale: string[] = []
  for (const name of names.filter((entry) => /^[0-9a-f]{64}$/.test(entry))) {
    const socket = join(dir, name)
    try {
      if (!lstatSync(socket).isSocket()) continue
    } catch {
      continue
    }
    if (listenerCount(socket) === 0 && !lockHeld(`${socket}.lock`)) stale.push(socket)
  }
  if (stale.length === 0) return ok(id, `${dir}: no stale sockets (${names.length} entries)`)
  const files = stale.flatMap((socket) => [socket, `${socket}.lock`])
  return warn(id, `${dir} holds ${stale.length} stale socket${stale.length === 1 ? '' : 's'} nobody listens on (left by a killed codex): ${stale.join(', ')}`, `remove them: rm -f ${files.join(' ')}`)
}
