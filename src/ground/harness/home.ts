import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {removeCodexDaemonFiles} from '../children/codex-daemon-files.js'
import {homePaths, type HomePaths} from '../home/codex-home.js'

export interface TempHome {
  readonly home: string
  readonly paths: HomePaths
  /** The environment for a codexd process using this home (never the machine's ~/.codex). */
  readonly env: NodeJS.ProcessEnv
  remove(): void
}

/**
 * A fresh temporary CODEX_HOME (for the tests and the benchmarks); `remove()` deletes it (call it
 * in an `after`/`finally`), with what a killed codex 0.169 left for it under
 * /tmp/codex-daemon-<uid>/. Its environment names it and carries none of the caller's codexd
 * settings (no CODEXD_* variable), only `extraEnv`.
 */
export function tempHome(prefix = 'codexd-test-', extraEnv: NodeJS.ProcessEnv = {}): TempHome {
  const home = mkdtempSync(join(tmpdir(), prefix))
  const env: NodeJS.ProcessEnv = {...process.env, CODEX_HOME: home, HOME: home}
  for (const name of Object.keys(env)) if (name.startsWith('CODEXD_')) delete env[name]
  // codex prints a backtrace after every error when this is set (it is, in some shells).
  delete env.RUST_BACKTRACE
  // Per-user state and data (the home registry of `codexd list`, the SSH launcher) then default
  // to directories under HOME, i.e. inside this temporary home.
  delete env.XDG_STATE_HOME
  delete env.XDG_DATA_HOME
  Object.assign(env, extraEnv)
  const paths = homePaths(home)
  const remove = () => {
    removeCodexDaemonFiles(paths.appServerSocket)
    rmSync(home, {recursive: true, force: true})
  }
  return {home, paths, env, remove}
}
