import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {acquireLock} from '../../ground/lock/flock.js'
import {existingBase} from './existing-base.js'
import {fail, ok, type DoctorCheck, type DoctorContext} from './types.js'

/**
 * A real flock(2) on a probe file in CODEX_HOME (removed again): codex and codexd serialize
 * startup with it, so a filesystem where it fails cannot run either.
 */
export async function checkFlock(context: DoctorContext): Promise<DoctorCheck> {
  const id = 'flock'
  const probe = join(existingBase(context.home), `.codexd-doctor-flock-${process.pid}`)
  try {
    const lock = await acquireLock(probe, {timeoutMs: 0, purpose: 'the doctor probe'})
    lock.release()
    return ok(id, `flock(2) works in ${existingBase(context.home)}`)
  } catch (error) {
    return fail(id, `flock(2) fails on ${probe}: ${error instanceof Error ? error.message : String(error)}`, 'put CODEX_HOME on a local filesystem where flock(2) works (ext4, xfs, btrfs, tmpfs), and make sure it is writable by you')
  } finally {
    rmSync(probe, {force: true})
  }
}
