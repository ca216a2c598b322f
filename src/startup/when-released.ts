import {setTimeout as sleep} from 'node:timers/promises'
import {listenerPids} from '../proc/processes.js'

/** How long a listener that no process holds any more may keep answering before it counts as live. */
const RELEASE_WAIT_MS = 2000

/**
 * Runs `removeIfStale` (resolving false while something still answers on `bindPath`) until it
 * is done, or until a live process is seen holding the listening socket. A listener whose process
 * was just killed keeps accepting connections for a few ms after the process is gone (measured
 * here: 5 ms median, 16 ms max, in half of 100 kills), because the kernel releases the socket
 * after the fd table; no process holds it then. Waiting that out, up to 2 s, is what keeps a
 * stop or a restart from leaving the dead listener's socket file behind.
 */
export async function whenReleased(bindPath: string, removeIfStale: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + RELEASE_WAIT_MS; !(await removeIfStale()); ) {
    if (listenerPids(bindPath).length > 0 || Date.now() > deadline) return
    await sleep(20)
  }
}
