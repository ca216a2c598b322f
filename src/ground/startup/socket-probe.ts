import {connect} from 'node:net'
import {connectPathFor} from '../home/socket-path.js'
import {connectFailure} from '../util/connect-failure.js'

/** What a `connect()` to a unix socket path found. */
export type ProbeResult =
  | {readonly kind: 'live'}
  | {readonly kind: 'absent'}
  | {readonly kind: 'refused'}
  | {readonly kind: 'timeout'}
  | {readonly kind: 'error'; readonly code: string}

/**
 * Connects to the unix socket behind `canonical` (following the long-path fallback) and closes
 * at once. A listener whose backlog is full does not answer within `timeoutMs`: `timeout`.
 */
export function probeSocket(canonical: string, timeoutMs = 1000): Promise<ProbeResult> {
  const path = connectPathFor(canonical)
  return new Promise((resolve) => {
    const socket = connect({path})
    const timer = setTimeout(() => finish({kind: 'timeout'}), timeoutMs)
    function finish(result: ProbeResult): void {
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    socket.once('connect', () => finish({kind: 'live'}))
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const failure = connectFailure(error.code)
      if (failure === 'absent' || failure === 'refused') finish({kind: failure})
      else finish({kind: 'error', code: error.code ?? 'unknown'})
    })
  })
}
