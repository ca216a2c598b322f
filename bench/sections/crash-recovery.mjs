/**
 * Row 4: kill -9 of the app-server child to the next successful initialize on its socket, vs the
 * goal: the child's own cold start (spawn to first successful initialize, measured here on a
 * warm home) plus the supervisor's first backoff step (CODEXD_BACKOFF_MIN_MS, read from
 * src/supervisor/config.ts). The supervisor runs with CODEXD_STABLE_MS=1000 and each kill comes
 * after a 1.2 s stable run, so every restart waits exactly the first backoff step (with the
 * default 10 s, back-to-back kills would escalate the backoff and measure the policy instead).
 */
import {once} from 'node:events'
import {readSupervisorConfig} from '../../dist/supervisor/config.js'
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
    for (let i = -1; i < count; i++) {
      const ms = await childColdStart(command, coldHome)
      if (i >= 0) cold.push(ms) // the first run creates the state database: a restart never does
    }

    const home = tempHome('codexd-bench-crash-', {...extraEnv, CODEXD_STABLE_MS: String(STABLE_MS)})
    await startSupervisor(home, label === 'builtin' ? 'builtin' : 'codex')
    const recovery = []
    const phases = {noticed: [], backoff: [], serving: []}
    for (let i = 0; i < count; i++) {
      const report = await waitFor(async () => {
        const status = await statusOf(home)
        return status?.child?.state === 'running' && status.child.uptimeMs >= STABLE_MS + 200 && status
      }, {intervalMs: 100, what: `a stable child in ${home.home}`})
      const pid = report.child.pid
      const t0 = process.hrtime.bigint()
      const killedAt = Date.now()
      signal(pid, 'SIGKILL')
      await waitFor(() => !isAlive(pid), {intervalMs: 1, what: `child ${pid} to die`})
      await waitFor(() => initializeOnce(home.paths.appServerSocket), {intervalMs: POLL_MS, what: 'the restarted child to answer initialize'})
      recovery.push(msSince(t0))
      const servingAt = Date.now()
      // Where the time went, from the supervisor's own event log (millisecond timestamps).
      const events = (await statusOf(home))?.events ?? []
      const at = (kind) => Date.parse(events.find((event) => event.kind === kind && Date.parse(event.at) >= killedAt)?.at ?? '')
      phases.noticed.push(at('exit') - killedAt)
      phases.backoff.push(at('restart') - at('exit'))
      phases.serving.push(servingAt - at('restart'))
    }
    note(`kill -9 (${label}), medians: supervisor recorded the exit after ${fmt(median(phases.noticed), 'ms', 0)}, spawned the next child ${fmt(median(phases.backoff), 'ms', 0)} later (backoff ${backoffMs} ms), which answered a client's initialize ${fmt(median(phases.serving), 'ms', 0)} after its spawn (this child's own cold start: ${fmt(median(cold), 'ms', 0)})`)
    const value = median(recovery)
    const goal = median(cold) + backoffMs
    rows.push({what: `child cold start, spawn to initialize (${label}), median of ${count}`, codexd: fmt(median(cold), 'ms'), baseline: '-', ratio: Number.NaN, goal: 'part of the goal below', met: undefined})
    rows.push({what: `kill -9 child to next initialize (${label}), median of ${count}`, codexd: fmt(value, 'ms'), baseline: `${fmt(goal, 'ms')} = cold start + ${backoffMs} ms backoff`, ratio: ratio(value, goal), goal: '<= 1.00x', met: value <= goal})
  }
  return rows
}

/** Spawns the app-server itself on the home's socket; ms until an initialize succeeds; stops it. */
async function childColdStart([file, ...args], home) {
  const start = process.hrtime.bigint()
  const child = spawnTracked(file, [...args, 'app-server', '--listen', 'unix://'], {env: home.env})
  let exited = false
  child.once('exit', () => (exited = true))
  await waitFor(async () => exited || (await initializeOnce(home.paths.appServerSocket)), {intervalMs: POLL_MS, what: `${file} app-server to answer initialize`})
  const ms = msSince(start)
  if (exited) throw new Error(`${file} app-server exited before answering initialize on ${home.paths.appServerSocket}`)
  const gone = once(child, 'exit')
  child.kill('SIGTERM')
  await gone
  return ms
}
