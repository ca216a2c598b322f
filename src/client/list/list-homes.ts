import {existsSync} from 'node:fs'
import {homePaths, resolveCodexHome} from '../../ground/home/codex-home.js'
import {forgetHome, registeredHomes} from '../../ground/home/registry.js'
import type {StatusReport} from '../../ground/protocol/status-report.js'
import {queryStatus} from '../operations/status-query.js'
import {displayState} from '../status-view/display-state.js'

/** One line of `codexd list` (schemas/list.json): the same fields whether or not it runs. */
export interface HomeSummary {
  readonly home: string
  /** running, or the child's state (starting, backoff, crash-loop, unresponsive, unmanaged, stopping), stopped, unreachable, or error (status could not be read). */
  readonly state: string
  /** The `codexd status` state: running, not-running, unreachable, not-serving (null on error). */
  readonly statusState: StatusReport['state'] | null
  readonly server: string | null
  readonly childKind: string | null
  readonly childVersion: string | null
  readonly supervisorPid: number | null
  readonly childPid: number | null
  readonly uptimeMs: number | null
  readonly childUptimeMs: number | null
  readonly restarts: number
  readonly lastExit: StatusReport['lastExit']
  readonly log: string
  readonly message: string | null
}

/**
 * Every home where a codexd supervisor started for this user (the registry), plus the current
 * CODEX_HOME when codexd has files there, each with its status. Homes that no longer exist (or
 * whose codexd directory is gone) are pruned from the registry. Never starts anything.
 */
export async function listHomes(timeoutMs: number): Promise<HomeSummary[]> {
  const homes: string[] = []
  for (const entry of registeredHomes()) {
    if (existsSync(homePaths(entry.home).codexdDir)) homes.push(entry.home)
    else forgetHome(entry)
  }
  const current = currentHome()
  if (current !== undefined && !homes.includes(current) && existsSync(homePaths(current).codexdDir)) homes.push(current)
  return Promise.all(homes.map((home) => summarize(home, timeoutMs)))
}

/** The current CODEX_HOME, or undefined when CODEX_HOME names something unusable. */
function currentHome(): string | undefined {
  try {
    return resolveCodexHome()
  } catch {
    return undefined
  }
}

async function summarize(home: string, timeoutMs: number): Promise<HomeSummary> {
  const paths = homePaths(home)
  let report: StatusReport
  try {
    report = await queryStatus(paths, timeoutMs)
  } catch (error) {
    // A home that cannot be read (unsafe permissions, a broken database) is listed, saying why.
    const message = error instanceof Error ? error.message : String(error)
    return {home, state: 'error', statusState: null, server: null, childKind: null, childVersion: null, supervisorPid: null, childPid: null, uptimeMs: null, childUptimeMs: null, restarts: 0, lastExit: null, log: paths.supervisorLog, message}
  }
  return {
    home,
    state: displayState(report),
    statusState: report.state,
    server: report.supervisor?.server ?? null,
    childKind: report.child?.kind ?? report.lastExit?.kind ?? null,
    childVersion: report.child?.version ?? null,
    supervisorPid: report.supervisor?.pid ?? null,
    childPid: report.child?.pid ?? null,
    uptimeMs: report.supervisor?.uptimeMs ?? null,
    childUptimeMs: report.child?.uptimeMs ?? null,
    restarts: report.restarts,
    lastExit: report.lastExit,
    log: report.supervisor?.log ?? paths.supervisorLog,
    message: report.message ?? report.child?.detail ?? null,
  }
}
