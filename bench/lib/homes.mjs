/**
 * Temporary CODEX_HOMEs for the benchmarks, and the supervisors started in them. Every home is
 * stopped (codexd stop, then SIGKILL of every pid it reported) and deleted by cleanupHomes().
 */
import {tempHome as makeTempHome} from '../../dist/ground/harness/home.js'
import {runCodexd, signal, trackDaemon} from './procs.mjs'

const homes = new Set()

/** A fresh CODEX_HOME (the tests' tempHome: none of the caller's codexd settings) plus `extraEnv`. */
export function tempHome(prefix = 'codexd-bench-', extraEnv = {}) {
  const record = {...makeTempHome(prefix, extraEnv), pids: new Set()}
  homes.add(record)
  return record
}

/** `codexd status --json` of the home (null when it printed no JSON); tracks every pid it names. */
export async function statusOf(home) {
  const result = await runCodexd(['status', '--json'], home.env)
  try {
    const report = JSON.parse(result.stdout)
    remember(home, report.supervisor?.pid)
    remember(home, report.child?.pid)
    return report
  } catch {
    return null
  }
}

/** Starts the supervisor (`codexd start --json`) and returns its status report. */
export async function startSupervisor(home, server = 'builtin') {
  const result = await runCodexd(['start', '--server', server, '--json'], home.env)
  if (result.code !== 0) throw new Error(`codexd start --server ${server} failed (exit ${result.code}): ${result.stderr.trim()}`)
  remember(home, JSON.parse(result.stdout).supervisorPid)
  const report = await statusOf(home)
  if (report?.state !== 'running') throw new Error(`codexd status after start says ${report?.state}: ${JSON.stringify(report)}`)
  return report
}

/** Remembers a daemon pid of this home for the cleanup. */
export function remember(home, pid) {
  if (!Number.isInteger(pid)) return
  home.pids.add(pid)
  trackDaemon(pid)
}

/** Stops the home's supervisor gracefully, then SIGKILLs every pid (and group) it ever reported. */
export async function stopHome(home) {
  await runCodexd(['stop', '--json'], home.env).catch(() => {})
  for (const pid of home.pids) {
    signal(-pid, 'SIGKILL')
    signal(pid, 'SIGKILL')
  }
  home.pids.clear()
}

/** Stops and deletes every home handed out. */
export async function cleanupHomes() {
  for (const home of homes) {
    await stopHome(home)
    home.remove()
  }
  homes.clear()
}
