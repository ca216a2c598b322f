import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {homePaths, type HomePaths} from '../../src/home/codex-home.js'

export interface TempHome {
  readonly home: string
  readonly paths: HomePaths
  /** The environment for a codexd process using this home (never the machine's ~/.codex). */
  readonly env: NodeJS.ProcessEnv
  remove(): void
}

/** A fresh temporary CODEX_HOME; `remove()` deletes it (call it in an `after`/`finally`). */
export function tempHome(prefix = 'codexd-test-'): TempHome {
  const home = mkdtempSync(join(tmpdir(), prefix))
  const env: NodeJS.ProcessEnv = {...process.env, CODEX_HOME: home, HOME: home}
  delete env.CODEXD_TEST_FAULT
  delete env.CODEXD_TEST_NO_LOCK
  // codex prints a backtrace after every error when this is set (it is, in some shells).
  delete env.RUST_BACKTRACE
  return {home, paths: homePaths(home), env, remove: () => rmSync(home, {recursive: true, force: true})}
}
