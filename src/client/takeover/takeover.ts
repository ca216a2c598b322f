import {existsSync} from 'node:fs'
import {ensureSupervisor, type EnsureResult} from '../ensure/ensure-supervisor.js'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {ensurePrivateDir} from '../../ground/home/private-dir.js'
import {connectPathFor} from '../../ground/home/socket-path.js'
import {acquireLock, type HeldLock} from '../../ground/lock/flock.js'
import {codexDaemonDir, codexDaemonLock} from '../../ground/owner/codex-daemon-records.js'
import {identifyListenerOwner, type ListenerOwner} from '../../ground/owner/listener-owner.js'
import {ownerLine} from '../../ground/owner/owner-advice.js'
import {processFacts} from '../../ground/owner/process-facts.js'
import {isAlive, listenerPids} from '../../ground/proc/processes.js'
import {terminateGroup} from '../../ground/proc/terminate-group.js'
import {pollUntil} from '../../ground/util/wait.js'
import {endProcess, type EndedBy} from './end-process.js'
import {endCodexUpdaters, runCodexDaemonStop} from './stop-codex-daemon.js'

export interface TakeoverOptions {
  /** Also end a server started by hand (codex or codexd), when its socket and home are this home's. */
  readonly force: boolean
  /** Overall deadline: locks, stopping the owner, and our app-server's first initialize. */
  readonly timeoutMs: number
  /** SIGTERM-to-SIGKILL grace for what codexd ends itself. */
  readonly graceMs: number
  readonly server?: string
  readonly onProgress?: (message: string) => void
}

/** One process the takeover ended. */
export interface EndedProcess {
  readonly pid: number
  readonly what: string
  readonly endedBy: EndedBy | 'codex app-server daemon stop'
}

export interface TakeoverResult extends EnsureResult {
  readonly home: string
  /** Who served the socket before; null when nobody did (or codexd already did). */
  readonly tookOverFrom: ListenerOwner | null
  readonly ended: readonly EndedProcess[]
}

/** How long codexd waits to take codex's daemon.lock right after codex's own stop released it. */
const CODEX_DAEMON_LOCK_WAIT_MS = 2000

/**
 * `start --takeover`: under codexd's ensure lock (concurrent starts queue behind it), identifies
 * who serves the home's socket; ends codex's managed daemon the way codex does (its own `daemon
 * stop`, bounded) and the updater it leaves, or a codexd orphan, or (only with `force`, only when
 * its socket and home are this home's) a server started by hand; then starts the home under
 * codexd through the ensure path. While the old owner goes, codexd holds the app-server startup
 * lock (no app-server can finish starting then), and from then until codexd's app-server answers
 * it holds codex's `app-server-daemon/daemon.lock`, which codex's `daemon start` (and the TUI's
 * auto-start) wait for: they find codexd serving afterwards. Nothing else is ever signalled.
 */
export async function takeOver(paths: HomePaths, options: TakeoverOptions): Promise<TakeoverResult> {
  const deadline = Date.now() + options.timeoutMs
  const remaining = () => Math.max(1000, deadline - Date.now())
  const progress = options.onProgress ?? (() => {})
  ensurePrivateDir(paths.codexdDir)
  const ensureLock = await acquireLock(paths.supervisorLock, {timeoutMs: remaining(), purpose: "codexd's supervisor lock", onWait: () => progress(`waiting for another codexd start (lock ${paths.supervisorLock})`)})
  let daemonLock: HeldLock | undefined
  let owner: ListenerOwner | undefined
  const ended: EndedProcess[] = []
  try {
    owner = await identifyListenerOwner(paths)
    if (owner && owner.kind !== 'codexd') {
      refuseUnlessAllowed(owner, paths, options.force)
      const startup = await acquireLock(paths.startupLock, {timeoutMs: remaining(), purpose: 'the app-server startup lock'})
      try {
        progress(`taking over from ${ownerLine(owner, paths).split(' serves ')[0]}`)
        ended.push(...(await endOwner(paths, owner, options.graceMs)))
        if (!(await pollUntil(() => listenerPids(connectPathFor(paths.appServerSocket)).length === 0, remaining()))) {
          throw new CodexdError('takeover-failed', `the listener on ${paths.appServerSocket} is still there after ending pid ${owner.pid}: find it with codexd status, stop it, then run codexd start`, ExitCode.AlreadyInUse)
        }
        daemonLock = await holdCodexDaemonLock(paths)
      } finally {
        // Our own app-server takes this lock to bind: it must be free before the child starts.
        startup.release()
      }
    }
  } catch (error) {
    daemonLock?.release()
    throw error
  } finally {
    ensureLock.release()
  }
  try {
    const result = await ensureSupervisor(paths, {server: options.server, timeoutMs: remaining(), onProgress: options.onProgress})
    return {home: paths.home, ...result, tookOverFrom: owner && owner.kind !== 'codexd' ? owner : null, ended}
  } finally {
    daemonLock?.release()
  }
}

/** Refuses, with the one line that says why and what to run, an owner the takeover may not end. */
function refuseUnlessAllowed(owner: ListenerOwner, paths: HomePaths, force: boolean): void {
  if (owner.kind === 'codex-daemon' || owner.kind === 'codexd-orphan') return
  if (owner.kind !== 'unknown' && force && owner.thisHome) return
  const why = owner.kind === 'unknown'
    ? '--takeover ends only processes it can identify'
    : force ? `--force ends only a server whose home is ${paths.home} (this one runs for ${owner.home ?? 'an unknown home'})` : '--takeover ends it only with --force'
  throw new CodexdError('takeover-refused', `${ownerLine(owner, paths)} (${why})`, ExitCode.AlreadyInUse)
}

/** Ends the owner (and, for codex's daemon, its updater); returns what it ended. */
async function endOwner(paths: HomePaths, owner: ListenerOwner, graceMs: number): Promise<EndedProcess[]> {
  const pid = owner.pid!
  const facts = processFacts(pid)
  if (!facts) return [{pid, what: owner.kind, endedBy: 'already-exited'}]
  switch (owner.kind) {
    case 'codex-daemon': {
      await runCodexDaemonStop(paths, facts)
      // `daemon stop` returns once the pid is gone; a daemon its pid file does not name is not
      // stopped by it: that one is codex's daemon for this home all the same (command line and home).
      let endedBy: EndedProcess['endedBy'] = 'codex app-server daemon stop'
      if (isAlive(pid) && owner.thisHome) endedBy = await endProcess(pid, facts.startTicks, graceMs)
      const updaters = await endCodexUpdaters(paths, graceMs)
      return [{pid, what: 'codex managed daemon', endedBy}, ...updaters.map((updater) => ({...updater, what: 'codex daemon updater (pid-update-loop)'}))]
    }
    case 'codexd-orphan': {
      const group = facts.pgid ?? pid
      return [{pid, what: 'orphaned codexd app-server', endedBy: await terminateGroup(group, graceMs, () => !isAlive(group))}]
    }
    default:
      return [{pid, what: `${owner.kind} (--force)`, endedBy: await endProcess(pid, facts.startTicks, graceMs)}]
  }
}

/**
 * Takes codex's lifecycle lock (`app-server-daemon/daemon.lock`) when codex has that directory:
 * codex's `daemon start` waits for it (measured on 0.171.0), so while codexd holds it no daemon
 * starts. Undefined when it stays busy (a codex start took it first: the ensure path then finds
 * that daemon and names it).
 */
async function holdCodexDaemonLock(paths: HomePaths): Promise<HeldLock | undefined> {
  if (!existsSync(codexDaemonDir(paths.home))) return undefined
  try {
    return await acquireLock(codexDaemonLock(paths.home), {timeoutMs: CODEX_DAEMON_LOCK_WAIT_MS, purpose: "codex's daemon lock"})
  } catch {
    return undefined
  }
}
