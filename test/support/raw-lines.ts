import {connect, type Socket} from 'node:net'
import {once} from 'node:events'
import {waitFor} from '../../src/ground/harness/processes.js'

/** A raw unix-socket client that reads newline-separated text (JSON-lines protocols). */
export class LineClient {
  readonly lines: string[] = []
  closed = false
  private buffer = ''

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      this.buffer += chunk
      for (let end = this.buffer.indexOf('\n'); end >= 0; end = this.buffer.indexOf('\n')) {
        this.lines.push(this.buffer.slice(0, end))
        this.buffer = this.buffer.slice(end + 1)
      }
    })
    socket.on('error', () => {}) // EPIPE/ECONNRESET once the server hung up: `closed` tells
    socket.on('close', () => (this.closed = true))
  }

  /** `allowHalfOpen`: keep writing after the server ended its side, as a hostile client may. */
  static async connect(path: string, allowHalfOpen = false): Promise<LineClient> {
    const socket = connect({path, allowHalfOpen})
    await once(socket, 'connect')
    return new LineClient(socket)
  }

  /** Waits for the `n`th line (1-based) and returns it parsed. */
  async line(n: number, what = `answer ${n}`): Promise<any> {
    await waitFor(() => this.lines.length >= n || this.closed, {timeoutMs: 15_000, what})
    if (this.lines.length < n) throw new Error(`connection closed before ${what}; got ${JSON.stringify(this.lines)}`)
    return JSON.parse(this.lines[n - 1])
  }

  /** Waits until the server closed the connection. */
  whenClosed(what = 'the server to close the connection'): Promise<boolean> {
    return waitFor(() => this.closed, {timeoutMs: 15_000, what})
  }
}
