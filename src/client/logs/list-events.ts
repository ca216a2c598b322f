import {existsSync} from 'node:fs'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {SupervisorStore, type EventRow} from '../../ground/supervisor-state/store.js'

/** The newest `limit` supervisor events from the state database (empty when there is none). */
export async function listEvents(paths: HomePaths, limit: number): Promise<EventRow[]> {
  if (!existsSync(paths.supervisorDb)) return []
  const store = await SupervisorStore.openForReading(paths.supervisorDb)
  if (!store) return []
  try {
    return await store.recentEvents(limit)
  } finally {
    await store.close()
  }
}
