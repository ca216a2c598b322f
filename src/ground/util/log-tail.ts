import {closeSync, fstatSync, openSync, readSync} from 'node:fs'

/**
 * The last `lines` lines of a log file (empty when it does not exist), for error messages. With
 * `fromOffset`, only what was written past that offset (the whole file when it was rotated since,
 * that is, when it is now shorter).
 */
export function logTail(path: string, lines = 15, maxBytes = 16 * 1024, fromOffset = 0): string {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return ''
  }
  try {
    const size = fstatSync(fd).size
    const start = Math.max(fromOffset <= size ? fromOffset : 0, size - maxBytes)
    const length = size - start
    const buffer = Buffer.alloc(length)
    readSync(fd, buffer, 0, length, start)
    return buffer.toString('utf8').split('\n').filter((line) => line !== '').slice(-lines).join('\n')
  } finally {
    closeSync(fd)
  }
}
