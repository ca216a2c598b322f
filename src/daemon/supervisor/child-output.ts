/**
 * The longest piece of child output the supervisor keeps while waiting for a newline. Longer
 * lines (or output without any newline) are written to the log in pieces of this size, so what a
 * child writes can never grow the supervisor's memory.
 */
export const MAX_BUFFERED_LINE_CHARS = 16 * 1024

/**
 * Splits a child's output stream into log lines, holding at most `maxLineChars` of a partial line:
 * a line that reaches that size is emitted as it is and the rest continues as a new piece.
 */
export class ChildOutputLines {
  private pending = ''

  constructor(private readonly emit: (lines: string[]) => void, private readonly maxLineChars = MAX_BUFFERED_LINE_CHARS) {}

  /** Adds a chunk of output; complete lines (and capped pieces) are emitted at once. */
  push(chunk: string): void {
    const parts = (this.pending + chunk).split('\n')
    // The last part has no newline yet: it is kept, unless it already reached the cap.
    const rest = parts.pop() ?? ''
    const lines: string[] = []
    for (const part of parts) this.cut(part, lines, true)
    this.pending = this.cut(rest, lines, false)
    if (lines.length > 0) this.emit(lines)
  }

  /** Emits what is left of a partial line (at the child's exit). */
  flush(): void {
    if (this.pending === '') return
    const last = this.pending
    this.pending = ''
    this.emit([last])
  }

  /** Pushes `text` onto `lines` in capped pieces; a partial line returns its unfinished tail. */
  private cut(text: string, lines: string[], complete: boolean): string {
    // A complete line of exactly the cap stays one line; a partial one of that size is emitted now.
    const longerThanAPiece = (left: number) => (complete ? left > this.maxLineChars : left >= this.maxLineChars)
    let start = 0
    while (longerThanAPiece(text.length - start)) {
      lines.push(text.slice(start, start + this.maxLineChars))
      start += this.maxLineChars
    }
    const remainder = text.slice(start)
    if (complete) {
      lines.push(remainder)
      return ''
    }
    return remainder
  }
}
