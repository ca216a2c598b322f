import {mkdirSync, mkdtempSync, realpathSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {homePaths, type HomePaths} from '../../ground/home/codex-home.js'
import {runCodexd} from '../../ground/harness/processes.js'

/** The home a smoke run uses, and whether the run made it (then it is removed afterwards). */
export interface SmokeHome {
  readonly paths: HomePaths
  readonly temporary: boolean
  remove(): void
}

/**
 * A fresh temporary CODEX_HOME, or `dir` (created when missing). A given home where a codexd
 * supervisor already runs is refused (exit 6): smoke kills and stops what runs there.
 */
export async function prepareSmokeHome(dir: string | undefined, env: NodeJS.ProcessEnv): Promise<SmokeHome> {
  if (dir === undefined) {
    // realpath: /tmp may be a symlink, and the census matches CODEX_HOME literally.
    const home = realpathSync(mkdtempSync(join(tmpdir(), 'codexd-smoke-')))
    return {paths: homePaths(home), temporary: true, remove: () => rmSync(home, {recursive: true, force: true})}
  }
  const home = resolve(dir)
  mkdirSync(home, {recursive: true, mode: 0o700})
  const status = await runCodexd(['status', '--json'], {...env, CODEX_HOME: home}, {timeoutMs: 30_000})
  if (status.code !== 3) {
    throw new CodexdError('smoke-home-busy', `a codexd supervisor already answers (or is wedged) for ${home} (codexd status exits ${status.code}); smoke kills and stops what runs there: run codexd stop for it first, or use another --home`, ExitCode.AlreadyInUse)
  }
  return {paths: homePaths(home), temporary: false, remove: () => {}}
}
