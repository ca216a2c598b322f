import {existsSync} from 'node:fs'
import sqlite3 from 'sqlite3'

/** What a state database file holds, read without repairing or migrating anything. */
export interface DatabaseCheck {
  /** `PRAGMA integrity_check`'s answer ('ok' for a sound file). */
  readonly integrity: string
  readonly userVersion: number
  /** Table names, sorted. */
  readonly tables: string[]
}

/**
 * Opens `path` with a plain sqlite3 connection (no StateDatabase: that would move a corrupt
 * file aside and the check would pass on a fresh file) and reports its integrity, version and
 * tables. A crashed writer's WAL is recovered or rolled back by SQLite itself, as on any open.
 */
export async function checkDatabase(path: string): Promise<DatabaseCheck> {
  return withRawDatabase(path, async (all) => ({
    integrity: (await all<{integrity_check: string}>('PRAGMA integrity_check')).map((row) => row.integrity_check).join('; '),
    userVersion: (await all<{user_version: number}>('PRAGMA user_version'))[0]?.user_version ?? 0,
    tables: (await all<{name: string}>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((row) => row.name),
  }))
}

/** Runs one statement on `path` with a plain connection (counting rows; 'readwrite' to seed data). */
export function queryDatabase<T>(path: string, sql: string, mode: 'readonly' | 'readwrite' = 'readonly'): Promise<T[]> {
  return withRawDatabase(path, (all) => all<T>(sql), mode)
}

type All = <T>(sql: string) => Promise<T[]>

async function withRawDatabase<R>(path: string, work: (all: All) => Promise<R>, mode: 'readonly' | 'readwrite' = 'readwrite'): Promise<R> {
  if (!existsSync(path)) throw new Error(`no database at ${path}`)
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(path, mode === 'readonly' ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE, (error) => (error ? reject(error) : resolve(opened)))
  })
  db.configure('busyTimeout', 5000)
  const all: All = <T>(sql: string) => new Promise<T[]>((resolve, reject) => db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows as T[]))))
  try {
    return await work(all)
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()))
  }
}
