import {basename} from 'node:path'
import type {HomePaths} from '../home/codex-home.js'
import {connectPathFor} from '../home/socket-path.js'
import {listenerPids, startTicks} from '../proc/processes.js'
import {codexUpdaters, codexVersionOf, daemonPidFileNames, homeOf, isManagedDaemonCommand, updaterPidFileNames} from './codex-daemon-records.js'
import {recordedSpawn} from './codexd-spawns.js'
import {processFacts, sameDir, type ProcessFacts} from './process-facts.js'

/**
 * Who serves a home's app-server socket:
 * - `codexd`: the child of this home's running codexd supervisor;
 * - `codex-daemon`: codex's managed daemon (`codex app-server daemon start`, or the TUI's auto-start);
 * - `codex-by-hand`: a `codex app-server --listen unix://` someone started;
 * - `codexd-orphan`: a child whose codexd supervisor died without stopping it;
 * - `codexd-other`: a codexd built-in server not started by this home's supervisor (`codexd app-server` by hand);
 * - `unknown`: anything else, or a listener whose process codexd cannot see (another user's).
 */
export type OwnerKind = 'codexd' | 'codex-daemon' | 'codex-by-hand' | 'codexd-orphan' | 'codexd-other' | 'unknown'

/** The identified owner of a home's app-server listener (stable `status --json` field `listenerOwner`). */
export interface ListenerOwner {
  readonly kind: OwnerKind
  /** The listening process; null when the socket answers but no visible process holds it. */
  readonly pid: number | null
  /** The server's version when known (codex's release manifest, codexd's record). */
  readonly version: string | null
  /** How it was started, in words. */
  readonly startedBy: string
  /** Its command line. */
  readonly command: string | null
  /** The CODEX_HOME it runs for (its environment; codex's default `$HOME/.codex` without one). */
  readonly home: string | null
  /** codex's updater (`app-server daemon pid-update-loop`) for this home, for `codex-daemon`. */
  readonly updaterPid: number | null
  /** `codex-daemon` only: `<home>/app-server-daemon/daemon.pid` names this very process (pid, start ticks, boot). */
  readonly pidFileMatches: boolean
  /** It listens on this home's socket AND runs for this home: what `--takeover --force` may end. */
  readonly thisHome: boolean
}

/**
 * Identifies who listens on the app-server socket of `paths.home`, from /proc (the kernel's
 * listener table, the process's command line and environment), codex's daemon records and
 * codexd's own spawn records. Undefined when nothing listens. Linux only; elsewhere a live
 * socket is `unknown`. Never signals or starts anything.
 */
export async function identifyListenerOwner(paths: HomePaths): Promise<ListenerOwner | undefined> {
  const pid = listenerPids(connectPathFor(paths.appServerSocket))[0]
  if (pid === undefined) return undefined
  const facts = processFacts(pid)
  if (!facts) return unknownOwner(pid)
  return classify(paths, facts)
}

/** The owner record for a live socket whose listener codexd cannot see or name. */
export function unknownOwner(pid: number | null): ListenerOwner {
  return {kind: 'unknown', pid, version: null, startedBy: 'unknown', command: null, home: null, updaterPid: null, pidFileMatches: false, thisHome: false}
}

async function classify(paths: HomePaths, facts: ProcessFacts): Promise<ListenerOwner> {
  const home = homeOf(facts)
  const base = {pid: facts.pid, command: facts.argv.join(' '), home, updaterPid: null, pidFileMatches: false, thisHome: home !== null && sameDir(home, paths.home)}
  const leader = facts.pgid ?? facts.pid
  const spawn = await recordedSpawn(paths, leader, startTicks(leader))
  if (spawn) {
    return spawn.supervisorAlive
      ? {...base, kind: 'codexd', version: spawn.version, startedBy: `codexd supervisor pid ${spawn.supervisorPid} (${spawn.describe})`}
      : {...base, kind: 'codexd-orphan', version: spawn.version, startedBy: `codexd supervisor pid ${spawn.supervisorPid}, started ${spawn.supervisorStartedAt}, which died without stopping it (${spawn.describe})`}
  }
  if (isManagedDaemonCommand(facts.argv)) {
    const updaters = codexUpdaters(paths.home)
    const updater = updaters.find((candidate) => updaterPidFileNames(paths.home, candidate)) ?? updaters[0]
    const parent = facts.ppid === null ? undefined : processFacts(facts.ppid)
    const byTui = parent !== undefined && basename(parent.argv[0] ?? '') === 'codex' && !parent.argv.includes('app-server')
    return {
      ...base,
      kind: 'codex-daemon',
      version: codexVersionOf(facts.exe ?? facts.argv[0] ?? null),
      startedBy: byTui ? `auto-started by the codex TUI (pid ${parent.pid})` : 'codex app-server daemon start, or the codex TUI auto-start',
      updaterPid: updater?.pid ?? null,
      pidFileMatches: daemonPidFileNames(paths.home, facts),
    }
  }
  if (isCodexdBuiltin(facts.argv)) return {...base, kind: 'codexd-other', version: null, startedBy: `by hand (codexd app-server, parent pid ${facts.ppid ?? '?'}), not by this home's codexd supervisor`}
  if (isCodexAppServer(facts)) return {...base, kind: 'codex-by-hand', version: codexVersionOf(facts.exe ?? facts.argv[0] ?? null), startedBy: `by hand (codex app-server, parent pid ${facts.ppid ?? '?'})`}
  return {...unknownOwner(facts.pid), command: base.command, home, thisHome: base.thisHome}
}

/** `node .../codexd|run.cjs app-server ...`: codexd's built-in server. */
function isCodexdBuiltin(argv: readonly string[]): boolean {
  const entry = argv.findIndex((arg) => /(^|\/)(codexd|run\.cjs|fast-path\.cjs)$/.test(arg))
  return entry >= 0 && argv[entry + 1] === 'app-server'
}

/** codex's own binary serving `app-server` (the managed daemon is recognized before this). */
function isCodexAppServer(facts: ProcessFacts): boolean {
  return basename(facts.exe ?? facts.argv[0] ?? '') === 'codex' && facts.argv[1] === 'app-server'
}
