import type {Migration} from '../state/database.js'

/**
 * The supervisor's state database (`$CODEX_HOME/codexd/supervisor.sqlite`). Migrations run by the
 * supervisor while it holds its instance lock, so two never migrate at once.
 */
export const supervisorMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, child spawns and events',
    sql: `
      CREATE TABLE supervisor_runs (
        id INTEGER PRIMARY KEY,
        pid INTEGER NOT NULL,
        server TEXT NOT NULL,
        started_at TEXT NOT NULL,
        stopped_at TEXT,
        stop_reason TEXT
      );
      CREATE TABLE child_spawns (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES supervisor_runs(id),
        kind TEXT NOT NULL,
        version TEXT,
        describe TEXT NOT NULL,
        lock_aware INTEGER NOT NULL,
        pid INTEGER,
        start_ticks TEXT,
        spawned_at TEXT NOT NULL,
        ready_at TEXT,
        exited_at TEXT,
        exit_code INTEGER,
        exit_signal TEXT,
        exit_reason TEXT
      );
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES supervisor_runs(id),
        spawn_id INTEGER REFERENCES child_spawns(id),
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX child_spawns_run ON child_spawns(run_id);
      CREATE INDEX events_kind ON events(kind);
    `,
  },
]
