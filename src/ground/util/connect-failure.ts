/** What a failed connect() to a unix socket path says about that path. */
export type ConnectFailure = 'absent' | 'refused' | 'busy' | 'other'

/**
 * Classifies the errno of a failed unix-socket connect(), once for every caller (the startup
 * probe, the control client, the proxy). ECONNRESET counts as refused: a listener killed a
 * moment earlier resets the connections still queued on it, and its file is as stale as one
 * that refuses (seen on Node 24, and on Node 20 under load).
 */
export function connectFailure(code: string | undefined): ConnectFailure {
  switch (code) {
    case 'ENOENT':
      return 'absent'
    case 'ECONNREFUSED':
    case 'ECONNRESET':
      return 'refused'
    case 'EAGAIN':
      return 'busy'
    default:
      return 'other'
  }
}
