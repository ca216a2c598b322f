import {closeSync, fstatSync, openSync, readSync} from 'node:fs'

/** The last `lines` lines of a log file (empty when it does not exist), for error messages. */
export function logTail(path: string, lines = 15, maxBytes = 16 * 1024): string {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return ''
  }
  try {
    const size = fstatSync(fd).size
    const length = Math.min(size, maxBytes)
    const buffer = Buffer.alloc(length)
    readSync(fd, buffer, 0, length, size - length)
    return buffer.toString('utf8').split('\n').filter((line) => line !== '').slice(-lines).join('\n')
  } finally {
    closeSync(fd)
  }
}
