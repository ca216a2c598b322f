import {lstatSync, statSync, symlinkSync, unlinkSync} from 'node:fs'
import type {Server} from 'node:net'
import {dirname} from 'node:path'
import {CodexdError} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import {ensurePrivateDir, makeSocketPrivate} from '../home/private-dir.js'
import {socketPathFits, type SocketEndpoint} from '../home/socket-path.js'
import {symlinkTarget} from '../util/symlink-target.js'
import {alreadyInUseError} from './prepare-socket.js'

/** A socket this process bound, and how to release exactly it (never a successor's). */
export interface BoundSocket {
  readonly endpoint: SocketEndpoint
  /** True while the socket file at the bind path is still the one this process bound. */
  owned(): boolean
  /**
   * Stops listening and removes the socket file and our symlink, but only while they are still
   * ours. libuv unlinks a listening socket's path when the server is closed, whoever owns that
   * path by then; so a socket whose path was taken over is not closed here: the descriptor goes
   * when the process exits, which unlinks nothing.
   */
  release(): Promise<void>
}

/**
 * Binds `server` on the endpoint (mode 0600; via the short path and a symlink when the canonical
 * path is too long) and returns a handle that removes only what it created.
 */
export async function bindSocket(server: Server, endpoint: SocketEndpoint): Promise<BoundSocket> {
  if (!socketPathFits(endpoint.bindPath)) {
    throw new CodexdError('socket-path-too-long', `refusing to listen on ${endpoint.bindPath}: longer than a unix socket path can be`, ExitCode.BadPath)
  }
  if (endpoint.linked) ensurePrivateDir(dirname(endpoint.bindPath))
  await new Promise<void>((resolveListen, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      reject(error.code === 'EADDRINUSE' ? Object.assign(alreadyInUseError(endpoint.canonical), {cause: error}) : error)
    }
    const onListening = () => {
      server.off('error', onError)
      resolveListen()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen({path: endpoint.bindPath})
  })
  makeSocketPrivate(endpoint.bindPath)
  const ino = statSync(endpoint.bindPath).ino
  if (endpoint.linked) symlinkSync(endpoint.bindPath, endpoint.canonical)
  const owned = () => inode(endpoint.bindPath) === ino
  return {
    endpoint,
    owned,
    async release() {
      if (!owned()) return
      const ourLink = endpoint.linked && symlinkTarget(endpoint.canonical) === endpoint.bindPath
      await new Promise<void>((resolve) => server.close(() => resolve()))
      // Closing unlinked the socket file; the link to it is ours to remove.
      if (ourLink) unlinkQuietly(endpoint.canonical)
    },
  }
}

function inode(path: string): number | undefined {
  try {
    return lstatSync(path).ino
  } catch {
    return undefined
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Already gone: nothing to remove.
  }
}
