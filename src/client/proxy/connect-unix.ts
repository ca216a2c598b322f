import {statSync} from 'node:fs'
import {connect, type Socket} from 'node:net'
import {connectPathFor} from '../../ground/home/socket-path.js'
import {connectFailure} from '../../ground/util/connect-failure.js'

/** Why one connection attempt failed; `absent` and `refused` are worth waiting out. */
export type ConnectFailure = 'absent' | 'refused' | 'timeout' | 'closed' | 'other'

/** A failed connection attempt: `kind` says whether waiting may help. */
export class ConnectError extends Error {
  constructor(readonly kind: ConnectFailure, readonly errno: string | undefined, message: string) {
    super(message)
    this.name = 'ConnectError'
  }
}

/** True for the failures a restarting server produces (socket missing, refusing, or backlog full). */
export function isTransient(error: unknown): boolean {
  return error instanceof ConnectError && error.kind !== 'other'
}

/**
 * One `connect()` to the unix socket behind `canonical` (through connectPathFor, so long paths
 * are never truncated). A listener that does not accept within `timeoutMs` (full backlog, or
 * wedged) counts as a `timeout` failure.
 */
export function connectUnix(canonical: string, timeoutMs: number): Promise<Socket> {
  const path = connectPathFor(canonical)
  return new Promise((resolve, reject) => {
    const socket = connect({path})
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new ConnectError('timeout', undefined, `${canonical} did not accept a connection within ${timeoutMs} ms`))
    }, timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.removeAllListeners('error')
      resolve(socket)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      socket.destroy()
      reject(classifyConnectError(canonical, error))
    })
  })
}

/** The ConnectError for a failed connect() to `canonical`. */
export function classifyConnectError(canonical: string, error: NodeJS.ErrnoException): ConnectError {
  switch (connectFailure(error.code)) {
    case 'absent':
      return new ConnectError('absent', error.code, `${canonical} does not exist`)
    case 'refused':
      // connect() to a regular file or a directory also says ECONNREFUSED: no wait will help.
      if (existsButNotSocket(canonical)) return new ConnectError('other', error.code, `${canonical} exists and is not a socket`)
      return new ConnectError('refused', error.code, `${canonical} refuses connections (a stale socket: the server is down)`)
    case 'busy':
      return new ConnectError('timeout', error.code, `${canonical} has a full backlog`)
    default:
      return new ConnectError('other', error.code, `${canonical} cannot be connected to (${error.code ?? error.message})`)
  }
}

function existsButNotSocket(path: string): boolean {
  try {
    return !statSync(path).isSocket()
  } catch {
    return false
  }
}
