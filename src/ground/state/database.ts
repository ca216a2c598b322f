import {existsSync, renameSync} from 'node:fs'
import sqlite3 from 'sqlite3'
import {CodexdError} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import {faultPoint} from '../testing/fault-points.js'
import {isCorruption, sqliteError} from './sqlite-errors.js'

/** A versioned schema step; applied once, in its own transaction, in ascending order. */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/** What opening a database had to do, for status and event logs. */
export interface OpenReport {
  readonly migratedFrom: number
  readonly migratedTo: number
  /** Where a corrupt file was moved before a fresh one was created. */
  readonly movedAside?: string
}

export interface OpenOptions {
  readonly busyTimeoutMs?: number
  /**
   * Move a corrupt file aside and create a fresh one (the default, for the database's owner).
   * False for readers (status, logs): a corrupt file is reported (`state-corrupt`, exit 9) and
   * left for its owner to move aside and report.
   */
  readonly repair?: boolean
}

/** One line saying a corrupt database was moved aside, for stderr, logs and events. */
export function describeMovedAside(path: string, movedAside: string): string {
  return `state database ${path} was corrupt; moved it to ${movedAside} and started a fresh one`
}

/** A small promise wrapper over one sqlite3 connection. */
export class StateDatabase {
  private constructor(private readonly db: sqlite3.Database, readonly path: string) {}

  /**
   * Opens (creating) the database at `path` in WAL mode with a busy timeout, applies pending
   * migrations, and moves a corrupt file aside (with a timestamp) instead of dropping it.
   */
  static async open(path: string, migrations: readonly Migration[], options: OpenOptions = {}): Promise<{db: StateDatabase; report: OpenReport}> {
    try {
      const db = await StateDatabase.connect(path, options.busyTimeoutMs ?? 5000)
      const report = await db.migrate(migrations)
      return {db, report}
    } catch (error) {
      if (!isCorruption(error)) throw stateError(path, error)
      if (options.repair === false) throw corruptError(path, error)
      const movedAside = moveAside(path)
      const db = await StateDatabase.connect(path, options.busyTimeoutMs ?? 5000)
      const report = await db.migrate(migrations)
      return {db, report: {...report, movedAside}}
    }
  }

  private static async connect(path: string, busyTimeoutMs: number): Promise<StateDatabase> {
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db = new sqlite3.Database(path, (error) => (error ? reject(error) : resolve(db)))
    })
    const db = new StateDatabase(raw, path)
    try {
      raw.configure('busyTimeout', busyTimeoutMs)
      await db.get('PRAGMA journal_mode = WAL')
      await db.run('PRAGMA synchronous = NORMAL')
      await db.run('PRAGMA foreign_keys = ON')
      const check = await db.get<{quick_check: string}>('PRAGMA quick_check')
      if (check?.quick_check !== 'ok') throw Object.assign(new Error(`quick_check: ${check?.quick_check}`), {code: 'SQLITE_CORRUPT'})
      return db
    } catch (error) {
      await db.close().catch(() => {})
      throw error
    }
  }

  /** Applies every migration newer than `PRAGMA user_version`, each in one IMMEDIATE transaction. */
  async migrate(migrations: readonly Migration[]): Promise<OpenReport> {
    const current = (await this.get<{user_version: number}>('PRAGMA user_version'))?.user_version ?? 0
    let version = current
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= version) continue
      await this.transaction(async () => {
        await this.exec(migration.sql)
        await this.exec(`PRAGMA user_version = ${migration.version}`)
        // Tests: a crash after the migration ran but before it committed must leave no trace.
        await faultPoint('during-migration')
      })
      version = migration.version
    }
    return {migratedFrom: current, migratedTo: version}
  }

  /** Runs `work` inside BEGIN IMMEDIATE ... COMMIT, rolling back on error. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.exec('BEGIN IMMEDIATE')
    try {
      const result = await work()
      await this.exec('COMMIT')
      return result
    } catch (error) {
      await this.exec('ROLLBACK').catch(() => {})
      throw error
    }
  }

  run(sql: string, params: unknown[] = []): Promise<{lastID: number; changes: number}> {
    const path = this.path
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function (this: sqlite3.RunResult, error: Error | null) {
        if (error) reject(sqliteError(path, error))
        else resolve({lastID: this.lastID, changes: this.changes})
      })
    })
  }

  get<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.db.get(sql, params, (error, row) => (error ? reject(sqliteError(this.path, error)) : resolve(row as T | undefined)))
    })
  }

  all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.db.all(sql, params, (error, rows) => (error ? reject(sqliteError(this.path, error)) : resolve(rows as T[])))
    })
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.exec(sql, (error) => (error ? reject(sqliteError(this.path, error)) : resolve()))
    })
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.close((error) => (error ? reject(error) : resolve()))
    })
  }
}

/** Renames a corrupt database (and its WAL/SHM companions) to `<path>.corrupt-<timestamp>`. */
function moveAside(path: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const target = `${path}.corrupt-${stamp}`
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix)
  }
  return target
}

function corruptError(path: string, error: unknown): CodexdError {
  const detail = error instanceof Error ? error.message : String(error)
  return new CodexdError('state-corrupt', `state database ${path} is corrupt (${detail}): the next codexd start moves it aside (kept, not deleted) and starts a fresh one`, ExitCode.StateError, {cause: error})
}

function stateError(path: string, error: unknown): CodexdError {
  const mapped = sqliteError(path, error)
  if (mapped instanceof CodexdError) return mapped
  const message = error instanceof Error ? error.message : String(error)
  return new CodexdError('state', `state database ${path} failed: ${message}; check the file's permissions and free disk space`, ExitCode.StateError, {cause: error})
}
