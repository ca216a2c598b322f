import {CodexdError} from '../errors/codexd-error.js'
import type {SocketEndpoint} from '../home/socket-path.js'
import {listenerPids} from '../proc/processes.js'
import {prepareSocketPath} from './prepare-socket.js'
import {pollUntil} from '../util/wait.js'

/** How long a listener that no process holds any more may keep answering before it counts as live. */
const RELEASE_WAIT_MS = 2000

/**
 * Removes the stale socket at `endpoint` with `prepare` (prepareSocketPath by default; a caller
 * may run it under the startup lock), retrying while the answer is "already in use" but no process
 * holds the listener. A listener whose process was just killed keeps accepting connections for a
 * few ms after that process counts as gone (its leader is a zombie without descriptors while its
 * other threads still exit; measured here: in 52 of 100 kills, 5 ms median, 16 ms max). Waiting
 * that out, up to 2 s, keeps a stop from leaving the dead listener's socket file behind. A listener
 * a live process holds is left alone at once; any other error is thrown.
 */
export async function removeWhenReleased(endpoint: SocketEndpoint, prepare: () => Promise<unknown> = () => prepareSocketPath(endpoint)): Promise<void> {
  await pollUntil(async () => {
    try {
      await prepare()
      return true
    } catch (error) {
      if (!(error instanceof CodexdError && error.code === 'already-in-use')) throw error
      return listenerPids(endpoint.bindPath).length > 0
    }
  }, RELEASE_WAIT_MS)
}
