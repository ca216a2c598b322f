import {closeSync, fstatSync, openSync, renameSync, writeSync} from 'node:fs'

/**
 * The supervisor's log: lines appended to one file, rotated when it passes `maxBytes`
 * (`supervisor.log` -> `.1` -> ... -> `.<keep>`, the oldest dropped), so it stays bounded.
 * Optionally mirrored to stderr (foreground `codexd run`, for journald and CI logs).
 */
export class RotatingLog {
  private fd: number
  private size: number

  constructor(readonly path: string, private readonly maxBytes: number, private readonly keep: number, private readonly mirror?: NodeJS.WritableStream) {
    this.fd = openSync(path, 'a', 0o600)
    this.size = fstatSync(this.fd).size
  }

  /**
   * Appends one timestamped line. A line break inside the message (a path may hold one) is
   * written as `\n`, so every entry is one line and no text can pose as another entry.
   */
  line(message: string): void {
    this.write(`${new Date().toISOString()} ${message.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}\n`)
  }

  /** Appends raw text (child output, already line-prefixed by the caller). */
  write(text: string): void {
    if (text === '') return
    const bytes = Buffer.from(text)
    if (this.size > 0 && this.size + bytes.length > this.maxBytes) this.rotate()
    try {
      writeSync(this.fd, bytes)
      this.size += bytes.length
    } catch {
      // A full disk must not kill the supervisor; the line is lost, the child keeps running.
    }
    this.mirror?.write(bytes)
  }

  private rotate(): void {
    closeSync(this.fd)
    for (let index = this.keep; index >= 1; index--) {
      const from = index === 1 ? this.path : `${this.path}.${index - 1}`
      try {
        renameSync(from, `${this.path}.${index}`)
      } catch {
        // Missing generation: nothing to shift.
      }
    }
    // keep = 0: no history, start the file over.
    this.fd = openSync(this.path, this.keep === 0 ? 'w' : 'a', 0o600)
    this.size = fstatSync(this.fd).size
  }

  close(): void {
    try {
      closeSync(this.fd)
    } catch {
      // Already closed.
    }
  }
}
