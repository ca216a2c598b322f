/**
 * Row 4: kill -9 of the app-server child to the next successful initialize on its socket, vs the
 * goal: the child's own cold start plus the supervisor's first backoff step
 * (CODEXD_BACKOFF_MIN_MS, read from src/daemon/supervisor/config.ts). The child's own cold start is
 * spawn to first successful initialize, launched by hand on a home in the state a restart finds:
 * the previous instance was killed with SIGKILL (stale socket, un-checkpointed SQLite WAL). The
 * cold start after a clean SIGTERM is shown in the notes.
 *
 * The supervisor runs with CODEXD_STABLE_MS=1000 and each kill comes
 * after a 1.2 s stable run, so every restart waits exactly the first backoff step (with the
 * default 10 s, back-to-back kills would escalate the backoff and measure the policy instead).
 */
import {once} from 'node:events'
import {readFileSync} from 'node:fs'
import {readSupervisorConfig} from '../../dist/daemon/supervisor/config.js'
import {startSupervisor, statusOf, tempHome} from '../lib/homes.mjs'
import {CODEXD_BIN, isAlive, signal, spawnTracked, waitFor} from '../lib/procs.mjs'
import {initializeOnce} from '../lib/rpc.mjs'
import {fmt, median, msSince, ratio} from '../lib/stats.mjs'

const STABLE_MS = 1000
const POLL_MS = 5

export async function crashRecovery({codex, log, note, reps}) {
  const backoffMs = readSupervisorConfig({}).config.backoffMinMs
  const rows = []
  const servers = [['builtin', {}, reps, [process.execPath, CODEXD_BIN]]]
  if (codex) servers.push([`codex ${codex.version}`, {CODEXD_CODEX_BIN: codex.bin}, Math.max(3, reps - 2), [codex.bin]])
  for (const [label, extraEnv, count, command] of servers) {
    log(`crash recovery (${label}): ${count} child cold starts, then ${count} x kill -9 of the supervised child`)
    const coldHome = tempHome('codexd-bench-cold-child-', extraEnv)
    const cold = []
    const clean = []
    for (let i = -1; i < count; i++) {
      // Each start finds the home as the previous one left it. The first run creates the state
      // database (a restart never does): not counted.
      const afterClean = await childColdStart(command, coldHome, 'SIGKILL')
      const afterKill = await childColdStart(command, coldHome, 'SIGTERM')
      if (i < 0) continue
      cold.push(afterKill)
      clean.push(afterClean)
    }

    const home = tempHome('codexd-bench-crash-', {...extraEnv, CODEXD_STABLE_MS: String(STABLE_MS)})
    await startSupervisor(home, label === 'builtin' ? 'builtin' : 'codex')
    const recovery = []
    const phases = {noticed: [], backoff: [], serving: [], supervisorCpu: []}
    const supervisorPid = (await statusOf(home)).supervisor.pid
    for (let i = 0; i < count; i++) {
      const report = await waitFor(async () => {
        const status = await statusOf(home)
        return status?.child?.state === 'running' && status.child.uptimeMs >= STABLE_MS + 200 && status
      }, {timeoutMs: 20_000, intervalMs: 100, what: `a stable child in ${home.home}`})
      const pid = report.child.pid
      const t0 = process.hrtime.bigint()
      const killedAt = Date.now()
      const cpuBefore = cpuMs(supervisorPid)
      signal(pid, 'SIGKILL')
      await waitFor(() => !isAlive(pid), {timeoutMs: 20_000, intervalMs: 1, what: `child ${pid} to die`})
      await waitFor(() => initializeOnce(home.paths.appServerSocket), {timeoutMs: 20_000, intervalMs: POLL_MS, what: 'the restarted child to answer initialize'})
      recovery.push(msSince(t0))
      const servingAt = Date.now()
      phases.supervisorCpu.push(cpuMs(supervisorPid) - cpuBefore)
      // Where the time went, from the supervisor's own event log (millisecond timestamps).
      const events = (await statusOf(home))?.events ?? []
      const at = (kind) => Date.parse(events.find((event) => event.kind === kind && Date.parse(event.at) >= killedAt)?.at ?? '')
      phases.noticed.push(at('exit') - killedAt)
      phases.backoff.push(at('restart') - at('exit'))
      phases.serving.push(servingAt - at('restart'))
    }
    note(`kill -9 (${label}), medians: supervisor recorded the exit after ${fmt(median(phases.noticed), 'ms', 0)}, spawned the next child ${fmt(median(phases.backoff), 'ms', 0)} later (backoff ${backoffMs} ms), which answered a client's initialize ${fmt(median(phases.serving), 'ms', 0)} after its spawn (this child's own cold start: ${fmt(median(cold), 'ms', 0)} after a kill -9, ${fmt(median(clean), 'ms', 0)} after a clean stop); the supervisor used ${fmt(median(phases.supervisorCpu), 'ms', 0)} of CPU from the kill to serving`)
    const value = median(recovery)
    const goal = median(cold) + backoffMs
    rows.push({what: `child's own cold start after kill -9, spawn to initialize (${label}), median of ${count}`, codexd: fmt(median(cold), 'ms'), baseline: '-', ratio: Number.NaN, goal: 'part of the goal below', met: undefined})
    rows.push({what: `kill -9 child to next initialize (${label}), median of ${count}`, codexd: fmt(value, 'ms'), baseline: `${fmt(goal, 'ms')} = cold start + ${backoffMs} ms backoff`, ratio: ratio(value, goal), goal: '<= 1.00x', met: value <= goal})
  }
  return rows
}

/** user + sys CPU milliseconds of `pid` so far (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/**
 * Spawns the app-server itself on the home's socket; ms until an initialize succeeds; then ends
 * it with `stopSignal` (SIGKILL leaves the home as a crash does: the next run starts from that).
 */
async function childColdStart([file, ...args], home, stopSignal) {
  const start = process.hrtime.bigint()
  const child = spawnTracked(file, [...args, 'app-server', '--listen', 'unix://'], {env: home.env})
  let exited = false
  child.once('exit', () => (exited = true))
  await waitFor(async () => exited || (await initializeOnce(home.paths.appServerSocket)), {timeoutMs: 20_000, intervalMs: POLL_MS, what: `${file} app-server to answer initialize`})
  const ms = msSince(start)
  if (exited) throw new Error(`${file} app-server exited before answering initialize on ${home.paths.appServerSocket}`)
  const gone = once(child, 'exit')
  child.kill(stopSignal)
  await gone
  return ms
}
