import {lstatSync} from 'node:fs'
import type {StatusReport} from '../../ground/protocol/status-report.js'
import type {Run} from '../../ground/harness/processes.js'
import {tail} from './cli.js'
import {listenerCount} from '../../ground/proc/unix-listeners.js'
import {CENSUS_AVAILABLE, descendants, processesForHome} from './census.js'
import {ScenarioFailure, type SmokeContext} from './types.js'

/** Resolves after `ms`, or at once when the run is aborted. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
  })
}

/** Polls `check` until it returns a value, the context's timeout passes (failure naming `what`), or Ctrl-C. */
export async function waitUntil<T>(context: SmokeContext, what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + context.timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (context.signal.aborted) throw new ScenarioFailure(`interrupted while waiting for ${what}`)
    if (Date.now() > deadline) throw new ScenarioFailure(`timed out after ${context.timeoutMs} ms waiting for ${what}`)
    await pause(100, context.signal)
  }
}

/** The status report when `codexd status` says running (exit 0) and `accept` agrees, else undefined. */
export async function runningStatus(context: SmokeContext, accept: (report: StatusReport) => boolean = () => true): Promise<StatusReport | undefined> {
  const {code, report} = await context.status()
  return code === 0 && report?.child?.pid && report.supervisor && accept(report) ? report : undefined
}

/** The status report, which must say running; else a failure quoting it. */
export async function requireRunning(context: SmokeContext, when: string): Promise<StatusReport & {supervisor: NonNullable<StatusReport['supervisor']>; child: NonNullable<StatusReport['child']> & {pid: number}}> {
  const {code, report} = await context.status()
  if (code !== 0 || !report?.child?.pid || !report.supervisor) throw new ScenarioFailure(`${when}: codexd status exits ${code} (state ${report?.state ?? 'unknown'})`, JSON.stringify(report, null, 2))
  return report as never
}

/** Whether anything (socket, symlink, file) is at `path`. */
export function pathExists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

/**
 * Exactly one supervisor and one app-server serve the home: every process with this
 * CODEX_HOME descends from the supervisor, which has exactly one child, and one listener is
 * bound at the app-server socket. Returns a description; throws a failure otherwise.
 * Where the process table cannot be read (not Linux), says so and checks nothing more.
 */
export function requireOneSupervisorOneChild(context: SmokeContext, supervisorPid: number): string {
  if (!CENSUS_AVAILABLE) return `process census unavailable on ${process.platform}`
  const all = processesForHome(context.paths.home)
  const tree = descendants(all, supervisorPid)
  const strays = all.filter((p) => !tree.has(p.pid))
  const children = all.filter((p) => p.ppid === supervisorPid)
  const listeners = listenerCount(context.paths.appServerSocket)
  const table = all.map((p) => `${p.pid} (parent ${p.ppid}): ${p.argv.join(' ')}`).join('\n')
  if (strays.length > 0) throw new ScenarioFailure(`${strays.length} process(es) for this home outside the supervisor's tree: ${strays.map((p) => p.pid).join(', ')}`, table)
  if (children.length !== 1) throw new ScenarioFailure(`the supervisor has ${children.length} child processes, expected 1`, table)
  if (listeners !== 1) throw new ScenarioFailure(`${listeners} listeners at ${context.paths.appServerSocket}, expected 1`, table)
  return `1 supervisor, 1 app-server (${all.length} processes in its tree), 1 listener`
}

/** Kills a process's whole group when it leads one (the app-server and whatever it forked), else the process. */
export function killHard(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
}

/** One `codexd start` for the smoke home, bounded by the context's timeout. */
export function codexdStart(context: SmokeContext): Promise<Run> {
  return context.codexd(['start', '--timeout', String(context.timeoutMs)], {timeoutMs: context.timeoutMs + 10_000})
}

/** `codexd start`, which must exit 0; else a failure `<what> exited N` with its output. */
export async function requireStart(context: SmokeContext, what: string): Promise<void> {
  const start = await codexdStart(context)
  if (start.code !== 0) throw new ScenarioFailure(`${what} exited ${start.timedOut ? 'never (killed after the timeout)' : start.code}`, tail(start.stderr || start.stdout))
}
