import {closeSync, openSync, readSync, statSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {logTail} from '../ensure/log-tail.js'
import {inodeOf} from './inode.js'

/** The last `lines` lines of the supervisor log (all of them when `lines` is 0). */
export function readLog(path: string, lines: number): string {
  const tail = logTail(path, lines === 0 ? Number.MAX_SAFE_INTEGER : lines, lines === 0 ? Number.MAX_SAFE_INTEGER : Math.max(64 * 1024, lines * 1024))
  return tail === '' ? '' : `${tail}\n`
}

/**
 * `codexd logs -f`: writes what is appended to `path` from its current end until `signal`
 * aborts, following rotation (a new inode at the path is read from its start).
 */
export async function followLog(path: string, write: (text: string) => void, signal: AbortSignal, pollMs = 200): Promise<void> {
  let inode = inodeOf(path)
  let offset = sizeOf(path)
  while (!signal.aborted) {
    const current = inodeOf(path)
    if (current !== inode) {
      inode = current
      offset = 0
    }
    if (current !== undefined) {
      const size = sizeOf(path)
      if (size < offset) offset = 0 // truncated in place
      if (size > offset) {
        write(readRange(path, offset, size))
        offset = size
      }
    }
    await sleep(pollMs, undefined, {signal}).catch(() => {})
  }
}

function readRange(path: string, start: number, end: number): string {
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(end - start)
    const read = readSync(fd, buffer, 0, buffer.length, start)
    return buffer.subarray(0, read).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}
