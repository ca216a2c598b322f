import {readFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {allPids, bootId, processFacts, sameDir, type ProcessFacts} from './process-facts.js'

/** Where codex's managed daemon keeps its records for one home. */
export function codexDaemonDir(home: string): string {
  return join(home, 'app-server-daemon')
}

/** codex's lifecycle lock: its `daemon start|stop|restart` and the TUI's auto-start hold it (flock). */
export function codexDaemonLock(home: string): string {
  return join(codexDaemonDir(home), 'daemon.lock')
}

/** A pid record of codex's daemon (`daemon.pid`, `daemon-updater.pid`). */
interface PidRecord {
  readonly pid: number
  readonly processIdentity?: {readonly bootId?: string; readonly startTicks?: number}
}

function readPidRecord(path: string): PidRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as PidRecord
    return Number.isInteger(record.pid) && record.pid > 0 ? record : undefined
  } catch {
    return undefined // absent (never started, or removed by `daemon stop`) or torn
  }
}

/**
 * True when codex's pid record at `path` names `facts`' process: same pid, same start ticks
 * (field 22 of /proc/PID/stat) and this boot. A stale record whose pid was reused fails.
 */
function recordNames(path: string, facts: ProcessFacts): boolean {
  const record = readPidRecord(path)
  if (!record || record.pid !== facts.pid) return false
  const identity = record.processIdentity
  return identity?.startTicks !== undefined && String(identity.startTicks) === facts.startTicks && identity.bootId === bootId()
}

/** True when `<home>/app-server-daemon/daemon.pid` names this very process. */
export function daemonPidFileNames(home: string, facts: ProcessFacts): boolean {
  return recordNames(join(codexDaemonDir(home), 'daemon.pid'), facts)
}

/** True for codex's managed app-server command line (`codex app-server ... --managed-daemon`). */
export function isManagedDaemonCommand(argv: readonly string[]): boolean {
  return argv[1] === 'app-server' && argv.includes('--managed-daemon')
}

/** True for codex's updater command line (`codex app-server daemon pid-update-loop`). */
export function isUpdaterCommand(argv: readonly string[]): boolean {
  return argv.slice(1).join(' ') === 'app-server daemon pid-update-loop'
}

/** The home a process works for: its CODEX_HOME, else codex's default `$HOME/.codex`. */
export function homeOf(facts: ProcessFacts): string | null {
  if (facts.env.CODEX_HOME) return facts.env.CODEX_HOME
  return facts.env.HOME ? join(facts.env.HOME, '.codex') : null
}

/**
 * The updater processes codex left for `home`: `... app-server daemon pid-update-loop` whose
 * CODEX_HOME is this home. Identified by command line and home together (never by name alone),
 * the one `daemon-updater.pid` names included.
 */
export function codexUpdaters(home: string): ProcessFacts[] {
  const found: ProcessFacts[] = []
  for (const pid of allPids()) {
    if (pid === process.pid) continue
    const facts = processFacts(pid)
    if (!facts || !isUpdaterCommand(facts.argv)) continue
    const its = homeOf(facts)
    if (its !== null && sameDir(its, home)) found.push(facts)
  }
  return found
}

/** True when `<home>/app-server-daemon/daemon-updater.pid` names this process. */
export function updaterPidFileNames(home: string, facts: ProcessFacts): boolean {
  return recordNames(join(codexDaemonDir(home), 'daemon-updater.pid'), facts)
}

/**
 * The codex version of an executable: `codex-package.json` beside its `bin/` (codex's release
 * layout, both the npm vendor dir and a managed `releases/<version>-<triple>/`), else the version
 * in a `releases/<version>-<triple>` directory name. Null when neither says.
 */
export function codexVersionOf(executable: string | null): string | null {
  if (!executable) return null
  const release = dirname(dirname(executable))
  try {
    const manifest = JSON.parse(readFileSync(join(release, 'codex-package.json'), 'utf8')) as {version?: unknown}
    if (typeof manifest.version === 'string') return manifest.version
  } catch {
    // not codex's layout
  }
  return /^(\d+\.\d+\.\d+(?:-(?:alpha|beta|rc)[.\d]*)?)-/.exec(basename(release))?.[1] ?? null
}
