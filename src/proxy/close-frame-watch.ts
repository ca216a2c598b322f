/**
 * Watches the client-to-server byte stream of a WebSocket connection, without changing it, for
 * the client's close frame (RFC 6455 opcode 0x8). When the server then ends the connection it is
 * answering the client's close, so the proxy reports a clean client-side end, not a server one.
 *
 * Cost per chunk is a few comparisons: payloads are skipped by length, never scanned. A stream
 * that does not start with an HTTP request line, or an upgrade request longer than 64 KiB, turns
 * the watch off (the bytes still pass through unchanged).
 */
export class CloseFrameWatch {
  /** True once the client sent a close frame. */
  closeSent = false
  private state: 'request' | 'header' | 'payload' | 'off' = 'request'
  /** Bytes of the upgrade request seen so far (only while state is `request`). */
  private requestTail = ''
  private requestBytes = 0
  /** Partial frame header bytes (a header may straddle chunks). */
  private header: number[] = []
  /** Payload bytes of the current frame still to skip. */
  private skip = 0

  /** Feeds one chunk the client sent. */
  feed(chunk: Buffer): void {
    let at = 0
    while (at < chunk.length && this.state !== 'off') {
      if (this.state === 'request') at = this.readRequest(chunk, at)
      else if (this.state === 'payload') {
        const take = Math.min(this.skip, chunk.length - at)
        this.skip -= take
        at += take
        if (this.skip === 0) this.state = 'header'
      } else at = this.readHeader(chunk, at)
    }
  }

  /** Skips the HTTP upgrade request, up to and including its blank line. */
  private readRequest(chunk: Buffer, at: number): number {
    const text = this.requestTail + chunk.toString('latin1', at, Math.min(chunk.length, at + 65_536))
    if (this.requestBytes === 0 && !/^[A-Z]{0,7}$|^[A-Z]+ /.test(text.slice(0, 8))) {
      this.state = 'off'
      return chunk.length
    }
    const end = text.indexOf('\r\n\r\n')
    if (end < 0) {
      this.requestBytes += chunk.length - at
      if (this.requestBytes > 65_536) this.state = 'off'
      this.requestTail = text.slice(-3)
      return chunk.length
    }
    const consumed = end + 4 - this.requestTail.length
    this.requestBytes += consumed
    this.requestTail = ''
    this.state = 'header'
    return at + consumed
  }

  /** Reads a frame header (2 to 14 bytes); a close opcode ends the watch. */
  private readHeader(chunk: Buffer, at: number): number {
    while (at < chunk.length) {
      this.header.push(chunk[at++]!)
      const needed = headerLength(this.header)
      if (this.header.length < needed) continue
      if ((this.header[0]! & 0x0f) === 0x8) {
        this.closeSent = true
        this.state = 'off'
        return chunk.length
      }
      this.skip = payloadLength(this.header)
      this.header = []
      this.state = this.skip > 0 ? 'payload' : 'header'
      return at
    }
    return at
  }
}

/** The full header length implied by the bytes seen so far (2 until the length byte is known). */
function headerLength(header: number[]): number {
  if (header.length < 2) return 2
  const masked = (header[1]! & 0x80) !== 0 ? 4 : 0
  const length7 = header[1]! & 0x7f
  return 2 + (length7 === 126 ? 2 : length7 === 127 ? 8 : 0) + masked
}

function payloadLength(header: number[]): number {
  const length7 = header[1]! & 0x7f
  if (length7 < 126) return length7
  if (length7 === 126) return (header[2]! << 8) | header[3]!
  let length = 0
  for (let i = 2; i < 10; i++) length = length * 256 + header[i]!
  return length
}
