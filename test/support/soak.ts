import assert from 'node:assert/strict'
import {existsSync, lstatSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {fdCount} from './proc-stats.js'
import {runCodexd, trackPid, waitFor} from '../../src/ground/harness/processes.js'
import {queryDatabase} from './sqlite-check.js'
import {homeProcesses, status, waitForStatus, type SupervisedHome} from './supervisor-home.js'
import {RpcClient} from './ws-client.js'

/** What one soak cycle measured. */
export interface CycleFigures {
  readonly cycle: number
  /** The supervisor's open descriptors while serving, and once the killed child was replaced. */
  readonly supervisorFds: {readonly before: number; readonly recovered: number}
  /** This (test) process's open descriptors after the cycle. */
  readonly testFds: number
  /** Bytes of supervisor.sqlite and builtin-app-server.sqlite (with their -wal files) after stop. */
  readonly supervisorDbBytes: number
  readonly builtinDbBytes: number
  /** Rows in the supervisor database after stop (runs + spawns + events). */
  readonly supervisorRows: number
}

/**
 * One soak cycle on `home`: `codexd start`, kill -9 of the child, recovery (a new child answers
 * initialize), `codexd stop`. Asserts on the way: the supervisor's descriptors return to what
 * they were before the crash, and after stop no process of the home remains and no socket file
 * is left anywhere under it.
 */
export async function soakCycle(home: SupervisedHome, cycle: number): Promise<CycleFigures> {
  const started = await runCodexd(['start'], home.env)
  assert.equal(started.code, 0, `cycle ${cycle}: start: ${started.stderr}`)
  const {report} = await status(home.env)
  const supervisor = report.supervisor!.pid
  const child = report.child!.pid!
  trackPid(supervisor)
  const before = await settledFdCount(supervisor)

  process.kill(child, 'SIGKILL')
  await waitForStatus(home.env, (now) => now.child?.state === 'running' && now.child.pid !== child, `cycle ${cycle}: a new child after kill -9 of ${child}`)
  const client = await RpcClient.connect(home.paths.appServerSocket)
  await client.initialize(`soak-${cycle}`)
  client.close()
  // Transient descriptors (a status request's connection, a probe) close on their own: wait for them.
  const recovered = await waitFor(async () => {
    const count = await settledFdCount(supervisor)
    return count <= before ? count : undefined
  }, {timeoutMs: 15_000, what: `cycle ${cycle}: supervisor ${supervisor}'s descriptors back to ${before} after the restart`}).catch((error: Error) => {
    throw new Error(`${error.message} (now ${fdCount(supervisor)})`)
  })

  const stopped = await runCodexd(['stop'], home.env)
  assert.equal(stopped.code, 0, `cycle ${cycle}: stop: ${stopped.stderr}`)
  await waitFor(() => homeProcesses(home.home).length === 0, {what: `cycle ${cycle}: every process of the home to end`})
  assert.deepEqual(socketFiles(home.home), [], `cycle ${cycle}: no socket file left`)
  const rows = await queryDatabase<{n: number}>(home.paths.supervisorDb, 'SELECT (SELECT count(*) FROM supervisor_runs) + (SELECT count(*) FROM child_spawns) + (SELECT count(*) FROM events) AS n')
  return {
    cycle,
    supervisorFds: {before, recovered},
    testFds: fdCount(process.pid),
    supervisorDbBytes: bytesWithWal(home.paths.supervisorDb),
    builtinDbBytes: bytesWithWal(home.paths.builtinDb),
    supervisorRows: rows[0].n,
  }
}

/** The fd count once two reads 50 ms apart agree (a connection being accepted or closed settles). */
async function settledFdCount(pid: number): Promise<number> {
  let last = fdCount(pid)
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    const now = fdCount(pid)
    if (now === last) return now
    last = now
  }
}

/** Every socket file under `dir` (recursively, symlinks not followed). */
export function socketFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return socketFiles(path)
    return lstatSync(path).isSocket() ? [path] : []
  })
}

function bytesWithWal(path: string): number {
  return [path, `${path}-wal`].reduce((sum, file) => sum + (existsSync(file) ? statSync(file).size : 0), 0)
}

/**
 * Checks a run of cycles for growth: the test process's descriptors end where they were after
 * the first cycle (a little slack for lazily opened handles), and the supervisor database holds
 * no more than a page or so per row of history.
 */
export function assertNoGrowth(figures: readonly CycleFigures[], testFdsAtStart: number): void {
  const last = figures.at(-1)!
  assert.ok(last.testFds <= testFdsAtStart + 4, `test process descriptors grew from ${testFdsAtStart} to ${last.testFds}`)
  // History rows are small (under 300 bytes); a page (4 KiB) of slack per 8 rows is far beyond what they need.
  assert.ok(last.supervisorDbBytes <= 64 * 1024 + last.supervisorRows * 512, `supervisor database ${last.supervisorDbBytes} bytes for ${last.supervisorRows} rows`)
}

/** One line per figure for logs and docs: first, last and extreme values over the run. */
export function summarize(figures: readonly CycleFigures[], testFdsAtStart: number): string[] {
  const first = figures[0]
  const last = figures.at(-1)!
  const max = (pick: (figure: CycleFigures) => number) => Math.max(...figures.map(pick))
  return [
    `cycles: ${figures.length}`,
    `supervisor fds before kill -9 / after recovery: cycle 1 ${first.supervisorFds.before}/${first.supervisorFds.recovered}, cycle ${last.cycle} ${last.supervisorFds.before}/${last.supervisorFds.recovered}, max ${max((figure) => figure.supervisorFds.before)}/${max((figure) => figure.supervisorFds.recovered)}`,
    `test process fds: before ${testFdsAtStart}, after cycle 1 ${first.testFds}, after cycle ${last.cycle} ${last.testFds}`,
    `supervisor.sqlite bytes: after cycle 1 ${first.supervisorDbBytes}, after cycle ${last.cycle} ${last.supervisorDbBytes} (${last.supervisorRows} rows)`,
    `builtin-app-server.sqlite bytes: after cycle 1 ${first.builtinDbBytes}, after cycle ${last.cycle} ${last.builtinDbBytes}`,
  ]
}
