import type {ChildProcess} from 'node:child_process'
import {spawnTracked, waitFor} from './processes.js'

/**
 * Starts util-linux flock(1) holding an exclusive lock on `path` until its process group is
 * killed (killGroup: flock's shell child keeps the lock too); resolves once the lock is held.
 */
export async function holdLockWithFlockCommand(path: string): Promise<ChildProcess> {
  const holder = spawnTracked('flock', ['--exclusive', path, '-c', 'echo held; exec sleep 600'])
  let out = ''
  holder.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  await waitFor(() => out.includes('held'), {what: `flock(1) to take the lock on ${path}`})
  return holder
}
