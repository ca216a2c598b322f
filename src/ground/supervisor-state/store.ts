import {StateDatabase, type OpenReport} from '../state/database.js'
import {supervisorMigrations} from './schema.js'

/** What the supervisor records as events (also the `kind` in `status --json` events). */
export type EventKind =
  | 'supervisor-start'
  | 'supervisor-stop'
  | 'spawn'
  | 'ready'
  | 'exit'
  | 'restart'
  | 'backoff'
  | 'crash-loop'
  | 'duplicate-launch'
  | 'unmanaged-listener'
  | 'listener-gone'
  | 'socket-removed'
  | 'unresponsive'
  | 'control-socket-recreated'
  | 'instance-lock-retaken'
  | 'instance-lock-lost'
  | 'home-deleted'
  | 'lock-recreated'
  | 'control-dir-recreated'
  | 'orphan-reaped'
  | 'state-cleared'
  | 'state-recovered'
  | 'upgrade-detected'
  | 'upgrade-pending'
  | 'error'

export interface EventRow {
  readonly id: number
  readonly at: string
  readonly kind: EventKind
  readonly message: string
  readonly spawnId: number | null
}

/** The last recorded child exit, shown by status even when nothing runs. */
export interface LastExit {
  readonly pid: number | null
  readonly kind: string
  readonly code: number | null
  readonly signal: string | null
  readonly reason: string | null
  readonly at: string
}

export interface RunRow {
  readonly id: number
  readonly pid: number
  readonly server: string
  readonly startedAt: string
  readonly stoppedAt: string | null
  readonly stopReason: string | null
}

/** A child spawn of an earlier run that never recorded its exit (its supervisor died). */
export interface OpenSpawn {
  readonly id: number
  readonly pid: number
  readonly startTicks: string | null
}

/**
 * How many of each kind of row the database keeps: older events, exited spawns and ended runs are
 * pruned at every supervisor start and every 100 events, so a child restarted for months does not
 * grow the file without bound. A spawn that never recorded its exit is kept (orphan reaping needs
 * it), and so is any row a kept row refers to.
 */
export const HISTORY_KEPT = 2000

/** The supervisor's SQLite state: runs, child spawns, ready times, exits and events. */
export class SupervisorStore {
  private runId: number | null = null
  private written = 0

  private constructor(
    readonly db: StateDatabase,
    private readonly kept = HISTORY_KEPT,
  ) {}

  /**
   * Opens (creating and migrating) the database. Call while holding the supervisor instance lock.
   * `kept` (tests) overrides HISTORY_KEPT.
   */
  static async open(path: string, {kept = HISTORY_KEPT} = {}): Promise<{store: SupervisorStore; report: OpenReport}> {
    const {db, report} = await StateDatabase.open(path, supervisorMigrations)
    return {store: new SupervisorStore(db, kept), report}
  }

  /** Opens an existing database without migrating (status, logs --events); undefined when it has no tables yet. */
  static async openForReading(path: string): Promise<SupervisorStore | undefined> {
    const {db} = await StateDatabase.open(path, [], {repair: false})
    const version = await db.get<{user_version: number}>('PRAGMA user_version')
    if ((version?.user_version ?? 0) < supervisorMigrations.length) {
      await db.close()
      return undefined
    }
    return new SupervisorStore(db)
  }

  async beginRun(pid: number, server: string): Promise<number> {
    const {lastID} = await this.db.run('INSERT INTO supervisor_runs (pid, server, started_at) VALUES (?, ?, ?)', [pid, server, now()])
    this.runId = lastID
    // Runs are often shorter than the 100 events between prunes: prune at every start too.
    await this.prune()
    return lastID
  }

  async endRun(reason: string): Promise<void> {
    await this.db.run('UPDATE supervisor_runs SET stopped_at = ?, stop_reason = ? WHERE id = ?', [now(), reason, this.runId])
  }

  async recordSpawn(child: {kind: string; version: string | null; describe: string; lockAware: boolean; pid: number | null; startTicks: string | null}): Promise<number> {
    const {lastID} = await this.db.run(
      'INSERT INTO child_spawns (run_id, kind, version, describe, lock_aware, pid, start_ticks, spawned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [this.runId, child.kind, child.version, child.describe, child.lockAware ? 1 : 0, child.pid, child.startTicks, now()],
    )
    return lastID
  }

  async recordReady(spawnId: number): Promise<void> {
    await this.db.run('UPDATE child_spawns SET ready_at = ? WHERE id = ?', [now(), spawnId])
  }

  async recordExit(spawnId: number, exit: {code: number | null; signal: string | null; reason: string}): Promise<void> {
    await this.db.run('UPDATE child_spawns SET exited_at = ?, exit_code = ?, exit_signal = ?, exit_reason = ? WHERE id = ?', [now(), exit.code, exit.signal, exit.reason, spawnId])
  }

  /** Appends an event (pruning old ones now and then). */
  async event(kind: EventKind, message: string, spawnId: number | null = null): Promise<void> {
    await this.db.run('INSERT INTO events (run_id, spawn_id, at, kind, message) VALUES (?, ?, ?, ?, ?)', [this.runId, spawnId, now(), kind, message])
    if (++this.written % 100 === 0) await this.prune()
  }

  /**
   * Keeps the newest `kept` events, exited spawns and ended runs (see HISTORY_KEPT). Each DELETE
   * is atomic on its own, and the order (events, then the spawns and runs no kept row refers to)
   * never leaves a dangling reference, so no transaction that could nest with another is needed.
   */
  private async prune(): Promise<void> {
    await this.db.run('DELETE FROM events WHERE id <= (SELECT MAX(id) FROM events) - ?', [this.kept])
    await this.db.run(
      `DELETE FROM child_spawns WHERE id <= (SELECT MAX(id) FROM child_spawns) - ? AND exited_at IS NOT NULL
         AND id NOT IN (SELECT spawn_id FROM events WHERE spawn_id IS NOT NULL)`,
      [this.kept],
    )
    await this.db.run(
      `DELETE FROM supervisor_runs WHERE id <= (SELECT MAX(id) FROM supervisor_runs) - ? AND stopped_at IS NOT NULL
         AND id NOT IN (SELECT run_id FROM child_spawns) AND id NOT IN (SELECT run_id FROM events WHERE run_id IS NOT NULL)`,
      [this.kept],
    )
  }

  /** How many rows each history table holds. */
  async historySize(): Promise<{runs: number; spawns: number; events: number}> {
    const row = await this.db.get<{runs: number; spawns: number; events: number}>(
      'SELECT (SELECT COUNT(*) FROM supervisor_runs) AS runs, (SELECT COUNT(*) FROM child_spawns) AS spawns, (SELECT COUNT(*) FROM events) AS events',
    )
    return row ?? {runs: 0, spawns: 0, events: 0}
  }

  /** The newest `limit` events, oldest first. */
  async recentEvents(limit = 20): Promise<EventRow[]> {
    const rows = await this.db.all<EventRow>('SELECT id, at, kind, message, spawn_id AS spawnId FROM events ORDER BY id DESC LIMIT ?', [limit])
    return rows.reverse()
  }

  async lastExit(): Promise<LastExit | null> {
    const row = await this.db.get<LastExit>(
      'SELECT pid, kind, exit_code AS code, exit_signal AS signal, exit_reason AS reason, exited_at AS at FROM child_spawns WHERE exited_at IS NOT NULL ORDER BY id DESC LIMIT 1',
    )
    return row ?? null
  }

  async lastRun(): Promise<RunRow | null> {
    const row = await this.db.get<RunRow>('SELECT id, pid, server, started_at AS startedAt, stopped_at AS stoppedAt, stop_reason AS stopReason FROM supervisor_runs ORDER BY id DESC LIMIT 1')
    return row ?? null
  }

  /** The newest run of the supervisor with this pid (how and when it ended), or null. */
  async runOf(pid: number): Promise<RunRow | null> {
    const row = await this.db.get<RunRow>('SELECT id, pid, server, started_at AS startedAt, stopped_at AS stoppedAt, stop_reason AS stopReason FROM supervisor_runs WHERE pid = ? ORDER BY id DESC LIMIT 1', [pid])
    return row ?? null
  }

  /** Spawns of earlier runs that never recorded an exit: candidates for orphan reaping. */
  async openSpawnsOfEarlierRuns(): Promise<OpenSpawn[]> {
    return this.db.all<OpenSpawn>('SELECT id, pid, start_ticks AS startTicks FROM child_spawns WHERE exited_at IS NULL AND pid IS NOT NULL AND run_id IS NOT ?', [this.runId])
  }

  close(): Promise<void> {
    return this.db.close()
  }
}

function now(): string {
  return new Date().toISOString()
}
