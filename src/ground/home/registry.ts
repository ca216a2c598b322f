import {createHash} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {isAbsolute, join} from 'node:path'
import {errnoCode} from '../errors/codexd-error.js'

/** One registered home: a CODEX_HOME where a codexd supervisor has started for this user. */
export interface RegisteredHome {
  readonly home: string
  /** When a supervisor last started there. */
  readonly registeredAt: string
  /** The file that records it (removed when the home is pruned). */
  readonly entry: string
}

/**
 * `$XDG_STATE_HOME/codexd/homes` (else `~/.local/state/codexd/homes`, `$HOME` honoured so tests
 * stay in their temp home): one small JSON file per home, so concurrent supervisors never
 * rewrite each other's entries.
 */
export function homesRegistryDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME
  if (state && isAbsolute(state)) return join(state, 'codexd', 'homes')
  const home = env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir()
  return join(home, '.local', 'state', 'codexd', 'homes')
}

/** The registry file of `home`: named by a hash of its path, so each home has exactly one. */
function entryPath(dir: string, home: string): string {
  return join(dir, `${createHash('sha256').update(home).digest('hex').slice(0, 24)}.json`)
}

/**
 * Records that a supervisor started for `home` (written to a temporary file, then renamed into
 * place: a reader sees the old entry or the new one, never half of one). Never throws: the
 * registry only feeds `codexd list`, so a failure is handed to `warn` and the supervisor goes on.
 */
export function registerHome(home: string, warn: (message: string) => void = () => {}, env: NodeJS.ProcessEnv = process.env): void {
  const dir = homesRegistryDir(env)
  try {
    mkdirSync(dir, {recursive: true, mode: 0o700})
    const target = entryPath(dir, home)
    const temporary = `${target}.${process.pid}.tmp`
    writeFileSync(temporary, `${JSON.stringify({home, registeredAt: new Date().toISOString()})}\n`, {mode: 0o600})
    renameSync(temporary, target)
  } catch (error) {
    warn(`warning: could not register ${home} for codexd list in ${dir} (${errnoCode(error) ?? String(error)}): codexd list will not show it`)
  }
}

/** Every registered home, oldest registration first; unreadable or foreign entries are skipped. */
export function registeredHomes(env: NodeJS.ProcessEnv = process.env): RegisteredHome[] {
  const dir = homesRegistryDir(env)
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return []
    throw error
  }
  const homes: RegisteredHome[] = []
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const entry = join(dir, name)
    try {
      const parsed = JSON.parse(readFileSync(entry, 'utf8')) as {home?: unknown; registeredAt?: unknown}
      if (typeof parsed.home === 'string' && entryPath(dir, parsed.home) === entry) {
        homes.push({home: parsed.home, registeredAt: typeof parsed.registeredAt === 'string' ? parsed.registeredAt : '', entry})
      }
    } catch {
      // Removed by a concurrent prune, or not ours: skip it.
    }
  }
  return homes.sort((a, b) => a.registeredAt.localeCompare(b.registeredAt))
}

/** Removes a home's entry (a concurrent prune that removed it first is fine). */
export function forgetHome(entry: RegisteredHome): void {
  try {
    unlinkSync(entry.entry)
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error
  }
}
