import type {Migration} from '../../ground/state/database.js'

/** The built-in app-server's state schema. Append new versions; never edit applied ones. */
export const builtinMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'runs and sessions',
    sql: `
      CREATE TABLE server_runs (
        id INTEGER PRIMARY KEY,
        pid INTEGER NOT NULL,
        transport TEXT NOT NULL,
        socket_path TEXT,
        started_at TEXT NOT NULL,
        stopped_at TEXT
      );
      CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES server_runs(id),
        client_name TEXT NOT NULL,
        client_version TEXT,
        initialized_at TEXT NOT NULL
      );
      CREATE INDEX sessions_by_run ON sessions(run_id);
    `,
  },
]
