import {closeSync, fstatSync, openSync, renameSync, statSync, writeSync} from 'node:fs'

/** How often the log checks that its path still names the file it writes (deleted, replaced). */
const REOPEN_CHECK_MS = 1000

/**
 * The supervisor's log: lines appended to one file, rotated when it passes `maxBytes`
 * (`supervisor.log` -> `.1` -> ... -> `.<keep>`, the oldest dropped), so it stays bounded.
 * Optionally mirrored to stderr (foreground `codexd run`, for journald and CI logs).
 *
 * Never throws once open: a log file deleted or replaced under it is reopened (checked at most
 * every `reopenCheckMs`), and when its directory is gone the lines are dropped until the path can
 * be opened again. The directory itself is never re-created here.
 */
export class RotatingLog {
  private fd: number | undefined
  private size = 0
  /** The identity of the open file, to notice a deleted or replaced log. */
  private identity: {dev: number; ino: number} | undefined
  private checkedAt = Date.now()

  constructor(readonly path: string, private readonly maxBytes: number, private readonly keep: number, private readonly mirror?: NodeJS.WritableStream, private readonly reopenCheckMs = REOPEN_CHECK_MS) {
    // The first open may fail loudly: a supervisor that cannot log at all should not start.
    this.adopt(openSync(path, 'a', 0o600))
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
    this.reopenIfMoved()
    if (this.fd !== undefined && this.size > 0 && this.size + bytes.length > this.maxBytes) this.rotate()
    if (this.fd !== undefined) {
      try {
        writeSync(this.fd, bytes)
        this.size += bytes.length
      } catch {
        // A full disk must not kill the supervisor; the line is lost, the child keeps running.
      }
    }
    this.mirror?.write(bytes)
  }

  private rotate(): void {
    this.closeFile()
    for (let index = this.keep; index >= 1; index--) {
      const from = index === 1 ? this.path : `${this.path}.${index - 1}`
      try {
        renameSync(from, `${this.path}.${index}`)
      } catch {
        // Missing generation (or a missing directory): nothing to shift.
      }
    }
    // keep = 0: no history, start the file over.
    this.open(this.keep === 0 ? 'w' : 'a')
  }

  /** Reopens the path when it no longer names the open file, or retries a failed open. */
  private reopenIfMoved(): void {
    const now = Date.now()
    if (now - this.checkedAt < this.reopenCheckMs) return
    this.checkedAt = now
    if (this.fd !== undefined) {
      try {
        const current = statSync(this.path)
        if (current.ino === this.identity?.ino && current.dev === this.identity.dev) return
      } catch {
        // Deleted (or its directory is): reopen below.
      }
      this.closeFile()
    }
    this.open('a')
  }

  /** Opens the path; on failure (directory gone, no permission) the log is closed until the next check. */
  private open(flags: 'a' | 'w'): void {
    try {
      this.adopt(openSync(this.path, flags, 0o600))
    } catch {
      this.fd = undefined
      this.identity = undefined
    }
  }

  private adopt(fd: number): void {
    const stats = fstatSync(fd)
    this.fd = fd
    this.size = stats.size
    this.identity = {dev: stats.dev, ino: stats.ino}
  }

  private closeFile(): void {
    if (this.fd === undefined) return
    try {
      closeSync(this.fd)
    } catch {
      // Already closed.
    }
    this.fd = undefined
  }

  close(): void {
    this.closeFile()
  }
}
