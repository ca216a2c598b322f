import {closeSync, fstatSync, openSync, readSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {logTail} from '../../ground/util/log-tail.js'
import {inodeOf} from '../../ground/util/inode.js'

/** The last `lines` lines of the supervisor log (all of them when `lines` is 0). */
export function readLog(path: string, lines: number): string {
  const tail = logTail(path, lines === 0 ? Number.MAX_SAFE_INTEGER : lines, lines === 0 ? Number.MAX_SAFE_INTEGER : Math.max(64 * 1024, lines * 1024))
  return tail === '' ? '' : `${tail}\n`
}

/**
 * `codexd logs -f`: writes what is appended to `path` from its current end until `signal`
 * aborts, following rotation like `tail -F`. The file stays open, so what was appended just
 * before a rotation is read from the renamed file before the new one is read from its start.
 */
export async function followLog(path: string, write: (text: string) => void, signal: AbortSignal, pollMs = 200): Promise<void> {
  let current = openLog(path)
  let offset = current === undefined ? 0 : fstatSync(current.fd).size
  try {
    while (!signal.aborted) {
      // The path's inode first, then the rest of the open file: once a new file is at the path,
      // the writer has stopped appending to the old one, so draining it now loses nothing.
      const atPath = inodeOf(path)
      if (current !== undefined) {
        const size = fstatSync(current.fd).size
        if (size < offset) offset = 0 // truncated in place
        if (size > offset) {
          write(readRange(current.fd, offset, size))
          offset = size
        }
      }
      if (atPath !== current?.inode) {
        if (current !== undefined) closeSync(current.fd)
        current = atPath === undefined ? undefined : openLog(path)
        offset = 0
        continue // read the new file at once
      }
      await sleep(pollMs, undefined, {signal}).catch(() => {})
    }
  } finally {
    if (current !== undefined) closeSync(current.fd)
  }
}

/** The log opened for reading with its inode, or undefined when it does not exist (yet). */
function openLog(path: string): {fd: number; inode: number} | undefined {
  try {
    const fd = openSync(path, 'r')
    return {fd, inode: fstatSync(fd).ino}
  } catch {
    return undefined
  }
}

function readRange(fd: number, start: number, end: number): string {
  const buffer = Buffer.alloc(end - start)
  const read = readSync(fd, buffer, 0, buffer.length, start)
  return buffer.subarray(0, read).toString('utf8')
}

