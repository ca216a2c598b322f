/** One piece of input: a complete line (without its newline), or a line over the limit that was dropped. */
export type LineEvent = {readonly line: string; readonly number: number} | {readonly tooLong: number; readonly number: number}

/**
 * Splits a byte stream into lines, holding at most `maxLineBytes` of one unfinished line: a
 * longer line is dropped (reported once as `tooLong`) and skipped up to its newline, so a
 * client can never make the proxy buffer without bound. Each chunk is scanned once.
 */
export class LineSplitter {
  private parts: Buffer[] = []
  private held = 0
  private dropping = false
  private dropped = 0
  private lineNumber = 0

  constructor(private readonly maxLineBytes: number) {}

  /** Feeds a chunk; returns the lines it completed. */
  push(chunk: Buffer): LineEvent[] {
    const events: LineEvent[] = []
    let start = 0
    for (let newline = chunk.indexOf(10, start); newline >= 0; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline)
      if (this.held === 0 && !this.dropping && piece.length <= this.maxLineBytes) {
        // Common case: the whole line is inside this chunk, no copy needed.
        events.push(lineEvent(piece.toString('utf8'), ++this.lineNumber))
      } else {
        this.take(piece)
        events.push(this.endLine())
      }
      start = newline + 1
    }
    if (start < chunk.length) this.take(chunk.subarray(start))
    return events
  }

  /** End of input: the last line, if it had no newline. */
  end(): LineEvent[] {
    if (this.held === 0 && !this.dropping) return []
    return [this.endLine()]
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return
    if (this.dropping) {
      this.dropped += piece.length
      return
    }
    if (this.held + piece.length > this.maxLineBytes) {
      this.dropping = true
      this.dropped = this.held + piece.length
      this.parts = []
      this.held = 0
      return
    }
    // Copy: the chunk may be a pooled buffer reused by the stream.
    this.parts.push(Buffer.from(piece))
    this.held += piece.length
  }

  private endLine(): LineEvent {
    this.lineNumber++
    if (this.dropping) {
      const event = {tooLong: this.dropped, number: this.lineNumber}
      this.dropping = false
      this.dropped = 0
      return event
    }
    const text = (this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.held)).toString('utf8')
    this.parts = []
    this.held = 0
    return lineEvent(text, this.lineNumber)
  }
}

/** A line event; a CRLF line ending counts as a newline. */
function lineEvent(text: string, number: number): LineEvent {
  return {line: text.endsWith('\r') ? text.slice(0, -1) : text, number}
}
