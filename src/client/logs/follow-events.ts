import {setTimeout as sleep} from 'node:timers/promises'
import type {HomePaths} from '../../ground/home/codex-home.js'
import type {EventRow} from '../../ground/supervisor-state/store.js'
import {listEvents} from './list-events.js'

/** Events read per poll first; a poll that finds them all new reads up to the database's bound. */
const FIRST_READ = 100
const FULL_READ = 2000

/**
 * `codexd logs --events --follow`: after the events already printed (up to `afterId`), writes
 * each newly recorded event as it appears until `signal` aborts. Waits for a database that does
 * not exist yet, and starts over (from its first event) when it was replaced by a fresh one.
 */
export async function followEvents(paths: HomePaths, afterId: number, write: (event: EventRow) => void, signal: AbortSignal, pollMs = 250): Promise<void> {
  let lastId = afterId
  while (!signal.aborted) {
    const events = await listEvents(paths, FIRST_READ)
    const newest = events.at(-1)?.id ?? 0
    if (newest < lastId) lastId = 0 // a fresh database (the old one was moved aside)
    let fresh = events.filter((event) => event.id > lastId)
    if (fresh.length === events.length && events.length === FIRST_READ) fresh = (await listEvents(paths, FULL_READ)).filter((event) => event.id > lastId)
    for (const event of fresh) write(event)
    lastId = Math.max(lastId, fresh.at(-1)?.id ?? lastId)
    await sleep(pollMs, undefined, {signal}).catch(() => {})
  }
}
