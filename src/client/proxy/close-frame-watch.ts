/** Orders close frames seen in the two directions of one connection. */
let sequence = 0

/**
 * Watches one direction of a WebSocket connection's byte stream, without changing it, for a
 * close frame (RFC 6455 opcode 0x8). The proxy compares the two directions: when the client's
 * close came first, the server ending the connection is its answer to the client, a clean
 * client-side end; when the server's came first (or none), the server side ended.
 *
 * Cost per chunk is a few comparisons per frame: payloads are skipped by length, never
 * scanned, and a direction is no longer watched once its close frame was seen. A stream that
 * does not start with an HTTP request or status line, or whose HTTP head exceeds 64 KiB, turns
 * the watch off (the bytes still pass through unchanged).
 */
export class CloseFrameWatch {
  /** Set when this direction carried a close frame: its order among both directions' closes. */
  closeSeen: number | undefined
  /** False once a close was seen or the stream is not a WebSocket: `feed` need not be called. */
  watching = true
  private inHead = true
  private headBytes = 0
  /** The last 3 bytes of the HTTP head so far (its blank line may straddle chunks). */
  private headTail = ''
  /** Partial frame header bytes when a header straddles chunks. */
  private partial: number[] = []
  /** Payload bytes of the current frame still to skip. */
  private skip = 0

  /** Feeds one chunk of this direction. */
  feed(chunk: Buffer): void {
    let at = this.inHead ? this.skipHead(chunk) : 0
    while (this.watching && at < chunk.length) {
      if (this.skip > 0) {
        const take = Math.min(this.skip, chunk.length - at)
        this.skip -= take
        at += take
      } else if (this.partial.length === 0 && chunk.length - at >= 14) {
        // The whole header is in this chunk (the common case).
        this.startFrame(chunk, at)
        at += headerLength(chunk[at + 1]!)
      } else {
        // A header straddling two chunks: collect it byte by byte.
        this.partial.push(chunk[at++]!)
        if (this.partial.length >= 2 && this.partial.length === headerLength(this.partial[1]!)) {
          this.startFrame(this.partial, 0)
          this.partial = []
        }
      }
    }
  }

  /** Reads the frame header at `at`: a close ends the watch, anything else is skipped by length. */
  private startFrame(bytes: ArrayLike<number>, at: number): void {
    if ((bytes[at]! & 0x0f) === 0x8) {
      this.closeSeen = ++sequence
      this.watching = false
      return
    }
    const length7 = bytes[at + 1]! & 0x7f
    if (length7 < 126) this.skip = length7
    else if (length7 === 126) this.skip = (bytes[at + 2]! << 8) | bytes[at + 3]!
    else {
      let length = 0
      for (let i = 2; i < 10; i++) length = length * 256 + bytes[at + i]!
      this.skip = length
    }
  }

  /** Skips the HTTP upgrade request or response head, up to and including its blank line. */
  private skipHead(chunk: Buffer): number {
    const window = chunk.toString('latin1', 0, Math.min(chunk.length, 65_536))
    if (this.headBytes === 0 && !/^[A-Z]/.test(window)) {
      this.watching = false
      return chunk.length
    }
    const text = this.headTail + window
    const end = text.indexOf('\r\n\r\n')
    if (end < 0) {
      this.headBytes += chunk.length
      if (this.headBytes > 65_536) this.watching = false
      this.headTail = text.slice(-3)
      return chunk.length
    }
    this.inHead = false
    return end + 4 - this.headTail.length
  }
}

/** A frame header's length, from its second byte (payload length code and mask bit). */
function headerLength(second: number): number {
  const length7 = second & 0x7f
  return 2 + (length7 === 126 ? 2 : length7 === 127 ? 8 : 0) + ((second & 0x80) !== 0 ? 4 : 0)
}
