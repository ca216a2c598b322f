/**
 * Issue 10, point 5: side by side in one run, on equivalent homes with the real codex 0.171.0:
 * `codexd restart` / `codexd stop` (codex 0.171.0 as codexd's child) vs codex's own
 * `codex app-server daemon restart` / `stop`, and the total time of `codexd start --takeover` from
 * codex's managed daemon. Goal: codexd at most 0.2x codex's own daemon for restart and for stop.
 * Each codex daemon process of the homes is killed by pid at the end (their CODEX_HOME names them).
 */
import {processesForHome} from '../../dist/ground/proc/home-processes.js'
import {startSupervisor, tempHome} from '../lib/homes.mjs'
import {isAlive, run, runCodexd, signal, spawnTracked, waitFor} from '../lib/procs.mjs'
import {initializeRoundTrip} from '../../dist/ground/app-server-client/initialize.js'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {realCodex} from '../lib/real-codex.mjs'
import {fmt, median, ratio} from '../lib/stats.mjs'

const VERSION = '0.171.0'
const GOAL = 0.2

export async function codexDaemon({codex: peer, log, note, reps}) {
  if (peer === null) return [{what: `codexd vs codex ${VERSION}'s own daemon: skipped (--no-codex)`, met: undefined}]
  const codex = await realCodex(VERSION)
  if ('skip' in codex) {
    note(`codex daemon rows skipped: ${codex.skip}`)
    return [{what: `codexd vs codex ${VERSION}'s own daemon: skipped (${codex.skip})`, met: undefined}]
  }
  const count = Math.max(3, reps)
  const ours = tempHome('codexd-bench-cdd-ours-', {CODEXD_CODEX_BIN: codex.bin})
  const theirs = tempHome('codexd-bench-cdd-codex-', {CODEXD_CODEX_BIN: codex.bin})
  const daemon = (args) => must(run(codex.bin, ['app-server', 'daemon', ...args], {env: theirs.env}), `codex app-server daemon ${args.join(' ')}`)
  const codexd = (home, args) => must(runCodexd(args, home.env), `codexd ${args.join(' ')}`)
  try {
    log(`codex daemon: codexd (codex ${VERSION} child) vs codex app-server daemon, ${count} restarts and stops each, ${count} takeovers`)
    await startSupervisor(ours, 'codex')
    await daemon(['start']) // the first start copies the release into the home: not counted
    const cold = tempHome('codexd-bench-cdd-cold-')
    await coldStart(codex.bin, cold) // the first start in a home creates its databases: not counted
    const times = {ourRestart: [], theirRestart: [], ourStop: [], theirStop: [], takeover: [], node: [], coldStart: []}
    for (let i = 0; i < count; i++) {
      times.node.push((await run(process.execPath, ['-e', '0'], {env: ours.env})).ms)
      times.coldStart.push(await coldStart(codex.bin, cold))
      times.ourRestart.push((await codexd(ours, ['restart'])).ms)
      times.theirRestart.push((await daemon(['restart'])).ms)
      times.ourStop.push((await codexd(ours, ['stop'])).ms)
      await codexd(ours, ['start', '--server', 'codex'])
      times.theirStop.push((await daemon(['stop'])).ms)
      await daemon(['start'])
    }
    for (let i = 0; i < count; i++) {
      times.takeover.push((await codexd(theirs, ['start', '--server', 'codex', '--takeover'])).ms)
      await codexd(theirs, ['stop'])
      await daemon(['start'])
    }
    const row = (what, mine, baseline) => {
      const value = median(mine)
      const base = median(baseline)
      return {what: `${what}, median of ${count}`, codexd: fmt(value, 'ms'), baseline: `${fmt(base, 'ms')} codex ${VERSION} daemon`, ratio: ratio(value, base), goal: `<= ${GOAL.toFixed(2)}x`, met: value <= GOAL * base}
    }
    // The floors: any Node command costs node's own start; a restart also waits for the new
    // child's first answer, which codex's cold start bounds.
    note(`floors in this run, medians: \`node -e 0\` ${fmt(median(times.node), 'ms', 0)}; codex ${VERSION}'s app-server from spawn to its first initialize answer ${fmt(median(times.coldStart), 'ms', 0)}; so codexd stop spent ${fmt(median(times.ourStop) - median(times.node), 'ms', 0)} beyond node's start and codexd restart ${fmt(median(times.ourRestart) - median(times.node) - median(times.coldStart), 'ms', 0)} beyond node's start and codex's cold start`)
    note(`codexd start --takeover from codex's managed daemon (codex's own daemon stop, updater ended, codexd's codex child answering initialize), medians: ${fmt(median(times.takeover), 'ms', 0)}`)
    return [
      row('codexd restart vs codex app-server daemon restart (wall time of the command)', times.ourRestart, times.theirRestart),
      row('codexd stop vs codex app-server daemon stop (wall time of the command)', times.ourStop, times.theirStop),
      {what: `codexd start --takeover from codex's managed daemon, median of ${count}`, codexd: fmt(median(times.takeover), 'ms'), baseline: '-', ratio: Number.NaN, goal: '-', met: undefined},
    ]
  } finally {
    for (const home of [ours, theirs]) {
      await runCodexd(['stop'], home.env).catch(() => {})
      for (const process of processesForHome(home.home)) signal(process.pid, 'SIGKILL')
    }
  }
}

/** codex's app-server alone, in a home it served before (as a restart's is): spawn to the first initialize answer, in ms. */
async function coldStart(bin, home) {
  const socketPath = join(home.home, 'app-server-control', 'app-server-control.sock')
  const started = performance.now()
  const child = spawnTracked(bin, ['app-server', '--listen', 'unix://'], {env: home.env})
  try {
    for (;;) {
      try {
        await initializeRoundTrip({socketPath}, 1000, 'codexd-bench')
        return performance.now() - started
      } catch {
        if (performance.now() - started > 30_000) throw new Error(`codex ${bin} did not answer initialize on ${socketPath} within 30 s`)
        await sleep(2)
      }
    }
  } finally {
    signal(-child.pid, 'SIGTERM')
    await waitFor(() => !isAlive(child.pid), {what: `codex pid ${child.pid} to exit`})
  }
}

async function must(pending, what) {
  const result = await pending
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}: ${result.stderr.trim().split('\n').slice(-2).join(' | ')}`)
  return result
}
