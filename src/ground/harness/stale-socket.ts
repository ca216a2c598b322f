import {spawnSync} from 'node:child_process'

/**
 * Leaves a stale socket file at `path`, exactly as kill -9 of a listener does: a child process
 * listens there and SIGKILLs itself, so nothing unlinks the file and nobody accepts on it.
 */
export function makeStaleSocket(path: string): void {
  const script = `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`
  const result = spawnSync(process.execPath, ['-e', script])
  if (result.signal !== 'SIGKILL') throw new Error(`could not make a stale socket at ${path}: ${result.stderr}`)
}
